import { randomBytes } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableTracePropagation } from '../lib/observability/tracing.ts';
import { personId, propertyId } from '../subgraphs/kit/seed/seed-plan.ts';
import { type MemoryLog, memoryLog } from './support/memory-log.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// One trace across the federation, as a collector would receive it: the gateway and the subgraphs in
// this process record into memory (the same spans OTLP would export), and a partner sends traceparent.

const SECRET_NAME = 'Zorglub-Quixotic-Surname';
const QUERY = `query Traced($id: ID!, $item: ID!, $name: String!) {
  wantedPerson(id: $id) { id }
  propertyItem(id: $item) { id }
  searchWantedPersons(name: $name) { nodes { id } }
}`;

const exporter = new InMemorySpanExporter();
let log: MemoryLog;
let stack: Stack;
beforeAll(async () => {
  enableTracePropagation();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  log = memoryLog();
  stack = await startStack('postgres', { gatewayLog: log.log, redis: true });
}, 120_000);
afterAll(() => stack?.close());

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const send = async (headers: Record<string, string>) => {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer()), ...headers },
    body: JSON.stringify({ query: QUERY, variables: { id: personId(1), item: propertyId(1), name: SECRET_NAME } }),
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const spansOf = (traceId: string) => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

describe('tracing', () => {
  it('continues a partner’s traceparent through the gateway to each subgraph it calls and their SQL', async () => {
    const traceId = hex(16);
    const partnerSpan = hex(8);
    await send({ traceparent: `00-${traceId}-${partnerSpan}-01` });
    const spans = spansOf(traceId);
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const server = spans.find((span) => span.kind === SpanKind.SERVER && parentOf(span) === partnerSpan)!;
    expect(server.name).toBe('POST /graphql');
    expect(spans.map((span) => span.name)).toEqual(
      expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.execute', 'gateway.fetch']),
    );

    // Each subgraph's server span hangs under one of the gateway's fetches, and its SQL under it.
    const fetches = spans.filter((span) => span.name === 'gateway.fetch');
    const subgraphServers = spans.filter((span) => span.kind === SpanKind.SERVER && byId.get(parentOf(span)!)?.name === 'gateway.fetch');
    expect(subgraphServers.length).toBe(fetches.length);
    expect(fetches.length).toBeGreaterThanOrEqual(2);
    const sql = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    expect(sql.length).toBeGreaterThan(0);
    const rootOf = (span: ReadableSpan): ReadableSpan => (byId.has(parentOf(span) ?? '') ? rootOf(byId.get(parentOf(span)!)!) : span);
    for (const statement of sql) expect(rootOf(statement)).toBe(server);
    expect(sql.map((span) => span.attributes['db.operation.name'])).toContain('SELECT');
    // The lookup cache's Redis calls too, under the subgraphs' server spans.
    const redis = spans.filter((span) => span.attributes['db.system.name'] === 'redis');
    expect(redis.map((span) => span.name)).toContain('GET redis');
    for (const call of redis) {
      expect(subgraphServers).toContain(byId.get(parentOf(call)!));
      expect(rootOf(call)).toBe(server);
    }
  });

  it('puts no query text, variables or SQL in any span', async () => {
    const traceId = hex(16);
    await send({ traceparent: `00-${traceId}-${hex(8)}-01` });
    const recorded = JSON.stringify(
      spansOf(traceId).map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        resource: span.resource.attributes,
      })),
    );
    for (const secret of [SECRET_NAME, personId(1), propertyId(1), 'searchWantedPersons', 'wantedPerson(', 'select ', ' from ', ' where '])
      expect(recorded).not.toContain(secret);
  });

  it('starts a trace for a request without traceparent, and names it in the request’s log line', async () => {
    log.clear();
    await send({ 'x-request-id': 'traced-0001' });
    const line = log.entries().find((entry) => entry.msg === 'graphql request' && entry.requestId === 'traced-0001')!;
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const spans = spansOf(String(line.trace_id));
    expect(spans.some((span) => span.kind === SpanKind.SERVER && parentOf(span) === undefined)).toBe(true);
    expect(spans.filter((span) => span.kind === SpanKind.SERVER).length).toBeGreaterThanOrEqual(3);
  });
});
