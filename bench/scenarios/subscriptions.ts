import { randomUUID } from 'node:crypto';
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../../lib/config/supergraph-config.ts';
import { graphql } from '../../test/support/graphql-client.ts';
import { startStack, type Stack } from '../../test/support/stack.ts';
import { bearer } from '../../test/support/tokens.ts';

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

/** The scenario's one row. */
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

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/** The subscribers' process, asked one thing at a time. */
class Subscribers {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(resolve(ROOT, 'bench/subscribers.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  ask<T>(command: Record<string, unknown>, reply: string, ms: number): Promise<T> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.child.off('message', listener);
        fail(new Error(`subscribers: no ${reply} within ${ms} ms`));
      }, ms);
      const listener = (message: { type: string }) => {
        if (message.type !== reply) return;
        clearTimeout(timer);
        this.child.off('message', listener);
        done(message as T);
      };
      this.child.on('message', listener);
      this.child.send(command);
    });
  }
  close() {
    if (this.child.exitCode === null) this.child.send({ type: 'close' });
    setTimeout(() => this.child.kill('SIGKILL'), 2_000).unref();
  }
}

interface Status {
  min: number;
  maxSeq: number;
}

/** Polls the subscribers until each has `count` events past `afterSeq`, for at most `ms`. */
async function waitFor(subscribers: Subscribers, afterSeq: number, count: number, ms: number): Promise<Status> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = await subscribers.ask<Status>({ type: 'status', afterSeq }, 'status', 10_000);
    if (status.min >= count || Date.now() > deadline) return status;
    await sleep(200);
  }
}

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

/** A Markdown table of the scenario's rows, to paste into bench/README.md as printed. */
export function subscriptionTable(rows: SubscriptionRow[]): string {
  const header = [
    'scenario',
    'subscribers',
    'writes',
    'p50 ms',
    'p99 ms',
    'max ms',
    'events/s',
    'RSS MB (baseline → N)',
    'peak RSS MB',
    'KB/subscriber',
    'lost',
    'duplicated',
    'errors',
  ];
  const lines = rows.map((row) => [
    row.scenario,
    row.subscribers === row.requestedSubscribers ? String(row.subscribers) : `${row.subscribers} of ${row.requestedSubscribers}`,
    `${row.writes} at ${row.writesPerSecond}/s`,
    row.p50.toFixed(0),
    row.p99.toFixed(0),
    row.max.toFixed(0),
    Math.round(row.eventsPerSecond).toLocaleString('en-US'),
    `${row.baselineRssMb} → ${row.subscribedRssMb}`,
    String(row.peakRssMb),
    row.kbPerSubscriber.toFixed(1),
    `${row.lost} (max ${row.maxLostPerSubscriber}/subscriber)`,
    `${row.duplicated} (max ${row.maxDuplicatedPerSubscriber}/subscriber)`,
    String(row.errors),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}
