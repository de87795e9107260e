import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { within } from './support/subscription-clients.ts';
import { bearer } from './support/tokens.ts';

// What an operator's Prometheus scrapes, on real PostgreSQL: the gateway's and a subgraph's
// `/metrics`, with the process's runtime metrics, the build, requests, the pool and subscriptions.

const OWNER = { subject: 'metrics-fr-owner', agency: 'FRPN00001', jurisdictions: ['FR'] };
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id } }`;
const EVENTS = 'subscription Alerts { wantedPersonEvents { id person { id jurisdiction } } }';
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('postgres');
}, 120_000);
afterAll(() => stack?.close());

const scrape = async (origin: string) => {
  const response = await fetch(new URL('/metrics', origin));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
};
/** The value of the series named exactly `series` (name and labels), or undefined. */
const valueOf = (text: string, series: string) => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
const gatewayMetric = async (series: string) => valueOf(await scrape(stack.gatewayOperationsUrl), series) ?? 0;
const partner = (subject: string, jurisdictions: string[]): Caller => ({
  principal: { subject, agency: 'ESPN00001', scopes: new Set(['wanted:read']), jurisdictions },
  purpose: { code: 'BORDER_CHECK', reference: 'POST-7' },
});

describe('/metrics', () => {
  it('gives the gateway process metrics and its build, each series declared once', async () => {
    const text = await scrape(stack.gatewayOperationsUrl);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(text).toContain(`# TYPE ${name} `);
    expect(valueOf(text, `liaison_build_info{service="gateway",version="${VERSION}",node="${process.version}"}`)).toBe(1);
    const declared = text.split('\n').filter((line) => line.startsWith('# TYPE '));
    expect(new Set(declared).size).toBe(declared.length);
  });

  it('counts open subscriptions and each event delivered or withheld, with its delay since the commit', async () => {
    const before = {
      delivered: await gatewayMetric('liaison_gateway_subscription_events_total{outcome="delivered"}'),
      withheld: await gatewayMetric('liaison_gateway_subscription_events_total{outcome="withheld"}'),
      lag: await gatewayMetric('liaison_gateway_subscription_event_lag_seconds_count'),
    };
    const open = async (caller: Caller) => {
      const outcome = await stack.gateway.subscribe(caller, { query: EVENTS });
      if (!(Symbol.asyncIterator in outcome)) throw new Error(`refused: ${JSON.stringify(outcome)}`);
      return outcome as AsyncIterableIterator<ExecutionResult>;
    };
    const france = await open(partner('metrics-fr', ['FR']));
    const germany = await open(partner('metrics-de', ['DE']));
    expect(await gatewayMetric('liaison_gateway_subscriptions')).toBe(2);

    const issued = await graphql(
      stack.gatewayUrl,
      ISSUE,
      { input: { familyName: 'Metric', givenNames: 'Ada', sex: 'UNKNOWN', noticeType: 'BLUE', jurisdiction: 'FR' }, key: randomUUID() },
      await bearer(OWNER),
    );
    expect(issued.errors).toBeUndefined();
    const step = await within(france.next(), 15_000, 'the French partner’s event');
    const id = (issued.data as { issueWantedNotice: { id: string } }).issueWantedNotice.id;
    expect((step.value as ExecutionResult).data).toMatchObject({ wantedPersonEvents: { person: { id, jurisdiction: 'FR' } } });
    // The German partner's copy is resolved too (and found invisible) on its own stream: wait for its count.
    const deadline = Date.now() + 15_000;
    while (
      (await gatewayMetric('liaison_gateway_subscription_events_total{outcome="withheld"}')) === before.withheld &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 100));

    expect(await gatewayMetric('liaison_gateway_subscription_events_total{outcome="delivered"}')).toBe(before.delivered + 1);
    expect(await gatewayMetric('liaison_gateway_subscription_events_total{outcome="withheld"}')).toBe(before.withheld + 1);
    expect(await gatewayMetric('liaison_gateway_subscription_event_lag_seconds_count')).toBe(before.lag + 1);
    await france.return!();
    await germany.return!();
    expect(await gatewayMetric('liaison_gateway_subscriptions')).toBe(0);
  });

  it('gives each subgraph its requests, its PostgreSQL pool, its cache and its build, beside the process metrics', async () => {
    const origin = stack.subgraphUrls['wanted-persons']!;
    const requests = 'liaison_subgraph_requests_total{subgraph="wanted-persons",status="200"}';
    const before = valueOf(await scrape(origin), requests) ?? 0;
    const answer = await graphql(stack.gatewayUrl, '{ wantedPerson(id: "W000000001") { id } }', {}, await bearer());
    expect(answer.errors).toBeUndefined();
    const text = await scrape(origin);
    expect(valueOf(text, requests)).toBeGreaterThanOrEqual(before + 1);
    expect(valueOf(text, 'liaison_subgraph_request_duration_seconds_count{subgraph="wanted-persons"}')).toBeGreaterThanOrEqual(before + 1);
    expect(valueOf(text, 'liaison_db_pool_connections{subgraph="wanted-persons",state="total"}')).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'liaison_db_pool_connections{subgraph="wanted-persons",state="waiting"}')).toBe(0);
    expect(valueOf(text, 'liaison_cache_errors_total{subgraph="wanted-persons"}')).toBe(0);
    expect(valueOf(text, `liaison_build_info{service="wanted-persons",version="${VERSION}",node="${process.version}"}`)).toBe(1);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });
});
