import { randomUUID } from 'node:crypto';
import { graphql } from '../../test/support/graphql-client.ts';
import { startStack, type Stack } from '../../test/support/stack.ts';
import { bearer } from '../../test/support/tokens.ts';
import { type Status, Subscribers, waitFor } from './subscriber-client.ts';
import type { SubscriptionRow } from './subscription-row.ts';

export type { SubscriptionRow } from './subscription-row.ts';
export { subscriptionTable } from './subscription-table.ts';

// Subscription fan-out: N WebSocket subscribers to wantedPersonEvents (in a child process), a
// gateway and the three subgraphs in this process (so this process's RSS is the server side), and a
// bounded, steady series of notices issued through the gateway.

const SCENARIO = 'wantedPersonEvents fan-out (WebSocket, gateway + 3 subgraphs in-process, demo seed)';
// Each event's own fields only (no record lookup), or with the record, which the gateway fetches
// through the federation once per subscriber and event, as that subscriber (and audits each time).
const SELECTIONS = {
  'event fields': 'subscription Alerts { wantedPersonEvents { id change at } }',
  'with the record': 'subscription Alerts { wantedPersonEvents { id change at person { id fullName noticeType jurisdiction } } }',
} as const;
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
const OWNER = { subject: 'bench-fr-owner', agency: 'FRPN00001', jurisdictions: ['FR', 'ES', 'DE'] };

export interface SubscriptionOptions {
  /** Subscribers asked for; fewer are measured if the machine cannot open them all. */
  subscribers: number;
  writes: number;
  writesPerSecond: number;
  selection: keyof typeof SELECTIONS;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

export async function subscriptionFanout(options: SubscriptionOptions, progress: (message: string) => void): Promise<SubscriptionRow> {
  // Defaults throughout: every subscriber is a partner (subject) of its own, so the per-partner limit does not apply.
  const stack: Stack = await startStack('postgres');
  const owner = await bearer(OWNER);
  const errors: string[] = [];
  const issue = async (n: number) => {
    const response = await graphql(
      stack.gatewayUrl,
      ISSUE,
      {
        input: {
          familyName: `Bench${n}`,
          givenNames: 'Ada',
          sex: 'UNKNOWN',
          noticeType: 'BLUE',
          jurisdiction: 'FR',
          releasability: { mode: 'ALL_GRANTED' },
        },
        key: randomUUID(),
      },
      owner,
    );
    if (response.status !== 200 || response.errors) throw new Error(`issue: HTTP ${response.status} ${JSON.stringify(response.errors)}`);
  };
  const subscribers = new Subscribers();
  try {
    // Baseline: the stack warmed by one write (plans, pools, the gateway's feed readers not yet open).
    await issue(0);
    await sleep(1_000);
    const baselineRssMb = rssMb();
    progress(`subscriptions: opening ${options.subscribers} WebSocket subscribers`);
    const opened = await subscribers.ask<{ count: number; firstError?: string }>(
      {
        type: 'open',
        url: stack.gatewayUrl,
        count: options.subscribers,
        query: SELECTIONS[options.selection],
        subjectPrefix: `bench-subscriber-${randomUUID().slice(0, 8)}`,
      },
      'opened',
      300_000,
    );
    if (opened.count === 0) throw new Error(`no subscriber could subscribe: ${opened.firstError}`);
    if (opened.count < options.subscribers)
      errors.push(`only ${opened.count} of ${options.subscribers} subscribers opened: ${opened.firstError}`);
    // Warm-up writes until every subscriber has an event: from then on each one is live.
    let warm: Status = { min: 0, maxSeq: 0 };
    for (let attempt = 1; attempt <= 5 && warm.min === 0; attempt += 1) {
      await issue(attempt);
      warm = await waitFor(subscribers, 0, 1, 15_000);
    }
    if (warm.min === 0) throw new Error('subscribers: not every subscriber received a warm-up event within 5 writes');
    await sleep(1_000);
    const subscribedRssMb = rssMb();
    let peakRssMb = subscribedRssMb;
    const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb())), 250);
    progress(`subscriptions: ${opened.count} live; ${options.writes} writes at ${options.writesPerSecond}/s`);
    // Open loop: write i starts at i / rate seconds, whatever the previous ones are doing.
    let succeeded = 0;
    const started = Date.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < options.writes; i += 1) {
      await sleep(Math.max(0, started + (i * 1_000) / options.writesPerSecond - Date.now()));
      pending.push(
        issue(100 + i).then(
          () => void (succeeded += 1),
          (error: Error) => void errors.push(error.message),
        ),
      );
    }
    await Promise.race([Promise.all(pending), sleep(60_000)]);
    const status = await waitFor(subscribers, warm.maxSeq, succeeded, 30_000 + (options.subscribers * options.writes) / 100);
    clearInterval(sampler);
    const report = await subscribers.ask<{
      subscribers: number;
      deliveries: number;
      distinctEvents: number;
      lost: number;
      duplicated: number;
      maxLost: number;
      maxDuplicated: number;
      ended: number;
      firstReceiptAt: number;
      lastReceiptAt: number;
      latencies: [number, number, number];
      firstError?: string;
    }>({ type: 'report', afterSeq: warm.maxSeq, expected: succeeded }, 'report', 60_000);
    if (report.distinctEvents > succeeded) errors.push(`${report.distinctEvents - succeeded} events beyond the ${succeeded} writes`);
    if (report.ended > 0) errors.push(`${report.ended} subscriber streams ended early: ${report.firstError}`);
    if (status.min < succeeded) progress(`subscriptions: a subscriber has ${status.min} of ${succeeded} events after the wait`);
    const seconds = Math.max(0.001, (report.lastReceiptAt - Math.min(started, report.firstReceiptAt)) / 1_000);
    return {
      scenario: `${SCENARIO}, ${options.selection}`,
      subscribers: report.subscribers,
      requestedSubscribers: options.subscribers,
      writes: succeeded,
      writesPerSecond: options.writesPerSecond,
      p50: report.latencies[0],
      p99: report.latencies[1],
      max: report.latencies[2],
      eventsPerSecond: report.deliveries / seconds,
      deliveries: report.deliveries,
      baselineRssMb: Math.round(baselineRssMb),
      subscribedRssMb: Math.round(subscribedRssMb),
      peakRssMb: Math.round(peakRssMb),
      kbPerSubscriber: ((subscribedRssMb - baselineRssMb) * 1024) / report.subscribers,
      lost: report.lost,
      duplicated: report.duplicated,
      maxLostPerSubscriber: report.maxLost,
      maxDuplicatedPerSubscriber: report.maxDuplicated,
      errors: errors.length,
      firstError: errors[0],
    };
  } finally {
    subscribers.close();
    await stack.close();
  }
}
