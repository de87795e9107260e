/** One row of the subscription scenario. */
export interface SubscriptionRow {
  scenario: string;
  subscribers: number;
  requestedSubscribers: number;
  writes: number;
  writesPerSecond: number;
  /** Delivery latency, client receipt minus the event's `at` (the outbox row's time), in ms. */
  p50: number;
  p99: number;
  max: number;
  /** Deliveries (events × subscribers) per second, first to last receipt. */
  eventsPerSecond: number;
  deliveries: number;
  baselineRssMb: number;
  subscribedRssMb: number;
  peakRssMb: number;
  /** (RSS with the subscribers − baseline) / subscribers, in KB. */
  kbPerSubscriber: number;
  lost: number;
  duplicated: number;
  maxLostPerSubscriber: number;
  maxDuplicatedPerSubscriber: number;
  /** Writes that failed, subscribers whose stream ended early, events beyond the writes. */
  errors: number;
  firstError?: string | undefined;
}
