import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS, metricsText, serviceRegistry } from '../../lib/observability/metrics-registry.ts';
import type { BreakerState, CircuitBreaker } from '../../lib/resilience/index.ts';
import type { SubgraphState } from '../upstream/subgraph-health.ts';

/** How a GraphQL response turned out: `partial` has data and errors (e.g. a subgraph was down). */
export type Outcome = 'ok' | 'partial' | 'error';

/** Why a subgraph fetch failed, as counted and as reported in `extensions.reason`. */
export type SubgraphFailure = 'timeout' | 'unreachable' | 'bad_status' | 'bad_response' | 'circuit_open';

/** What became of one record event for one subscriber: sent, or withheld (the subscriber may not see the record). */
export type EventOutcome = 'delivered' | 'withheld';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];

/** The gateway's Prometheus metrics, served at `/metrics` on its operational port (OPS_PORT). */
export class GatewayMetrics {
  readonly registry: Registry = serviceRegistry('gateway');
  private readonly requests = new Counter({
    name: 'liaison_gateway_requests_total',
    help: 'GraphQL requests answered, by HTTP status and outcome (ok, partial, error).',
    labelNames: ['status', 'outcome'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'liaison_gateway_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by outcome.',
    labelNames: ['outcome'],
    buckets: [...LATENCY_BUCKETS],
    registers: [this.registry],
  });
  private readonly fetches = new Counter({
    name: 'liaison_gateway_subgraph_requests_total',
    help: 'Requests sent to a subgraph, retries included.',
    labelNames: ['subgraph'],
    registers: [this.registry],
  });
  private readonly fetchDuration = new Histogram({
    name: 'liaison_gateway_subgraph_duration_seconds',
    help: 'Time a subgraph fetch took, retries included.',
    labelNames: ['subgraph'],
    buckets: [...LATENCY_BUCKETS],
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: 'liaison_gateway_subgraph_errors_total',
    help: 'Subgraph requests that failed, by reason (timeout, unreachable, bad_status, bad_response, circuit_open).',
    labelNames: ['subgraph', 'reason'],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'liaison_gateway_subgraph_retries_total',
    help: 'Subgraph reads sent again after a failure.',
    labelNames: ['subgraph'],
    registers: [this.registry],
  });
  private readonly events = new Counter({
    name: 'liaison_gateway_subscription_events_total',
    help: 'Record events resolved for a subscriber: delivered, or withheld because the subscriber may not see the record.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly eventLag = new Histogram({
    name: 'liaison_gateway_subscription_event_lag_seconds',
    help: "Time from a record event's commit to its delivery to a subscriber (resolution included).",
    buckets: [...LATENCY_BUCKETS],
    registers: [this.registry],
  });

  /** Each subgraph's state as the last `/ready` found it. */
  private lastStates: Record<string, SubgraphState> = {};

  constructor(breakers: () => ReadonlyMap<string, CircuitBreaker>, subscriptions: () => number = () => 0) {
    const states = () => this.lastStates;
    new Gauge({
      name: 'liaison_gateway_subgraph_up',
      help: "1 when the subgraph answered its own /ready at the gateway's last /ready (with its breaker not open), else 0.",
      labelNames: ['subgraph'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [subgraph, state] of Object.entries(states())) this.set({ subgraph }, state === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'liaison_gateway_subgraph_breaker_state',
      help: "1 for each subgraph's current circuit breaker state (closed, open, half_open), 0 for the others.",
      labelNames: ['subgraph', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [subgraph, breaker] of breakers())
          for (const state of BREAKER_STATES) this.set({ subgraph, state }, breaker.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'liaison_gateway_subscriptions',
      help: 'Subscriptions open in this gateway process, both transports.',
      registers: [this.registry],
      collect() {
        this.set(subscriptions());
      },
    });
  }

  request(status: number, outcome: Outcome, seconds: number): void {
    this.requests.inc({ status: String(status), outcome });
    this.duration.observe({ outcome }, seconds);
  }

  subgraphAttempt(subgraph: string): void {
    this.fetches.inc({ subgraph });
  }

  subgraphFetch(subgraph: string, seconds: number): void {
    this.fetchDuration.observe({ subgraph }, seconds);
  }

  subgraphFailure(subgraph: string, reason: SubgraphFailure): void {
    this.failures.inc({ subgraph, reason });
  }

  subgraphRetry(subgraph: string): void {
    this.retries.inc({ subgraph });
  }

  /** One event resolved for one subscriber; `at` is the event's commit time (ISO 8601). */
  subscriptionEvent(outcome: EventOutcome, at: string): void {
    this.events.inc({ outcome });
    if (outcome === 'delivered') this.eventLag.observe(Math.max(0, Date.now() - Date.parse(at)) / 1000);
  }

  /** Remembers what `/ready` found: probes run as often as the platform asks, so the gauge stays fresh without probing of its own. */
  subgraphStates(states: Record<string, SubgraphState>): void {
    this.lastStates = states;
  }

  exposition(): Promise<string> {
    return metricsText(this.registry);
  }
}
