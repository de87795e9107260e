import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personId, propertyId } from '../subgraphs/kit/seed/seed-plan.ts';
import { type MemoryLog, memoryLog } from './support/memory-log.ts';
import { type RecordingProxy, startRecordingProxy } from './support/recording-proxy.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// The gateway logs into memory, and reaches wanted-persons through a hop that remembers the headers
// it was sent, so the test can read what operators and subgraphs get to see.
let log: MemoryLog;
let hop: RecordingProxy;
let stack: Stack;
beforeAll(async () => {
  log = memoryLog();
  hop = await startRecordingProxy(['liaison-identity', 'x-request-id']);
  stack = await startStack('pglite', { gatewayLog: log.log, gatewayEnv: { WANTED_PERSONS_URL: hop.url } });
  hop.target = stack.subgraphUrls['wanted-persons'];
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await hop?.close();
});

const SEARCH = 'query FindPerson($name: String!) { searchWantedPersons(name: $name) { nodes { id } } }';
const SECRET_NAME = 'Zorglub-Quixotic-Surname';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function post(body: object, headers: Record<string, string>) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as { data?: any; errors?: any[] },
  };
}
const requestLines = () => log.entries().filter((entry) => entry.msg === 'graphql request');

describe('request ids and request logs', () => {
  it('keeps the caller’s x-request-id through the gateway to the subgraphs and back, and logs who, what and how long, without the token or the variables', async () => {
    const headers: Record<string, string> = {
      ...(await bearer()),
      'liaison-purpose': 'INVESTIGATION',
      'x-request-id': 'partner-trace-0001',
    };
    const token = headers.authorization!.slice('Bearer '.length);
    const answer = await post({ query: SEARCH, variables: { name: SECRET_NAME } }, headers);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.requestId).toBe('partner-trace-0001');
    expect(hop.seen.map((seen) => seen['x-request-id'])).toContain('partner-trace-0001');

    const line = requestLines().find((entry) => entry.requestId === 'partner-trace-0001');
    expect(line).toMatchObject({
      status: 200,
      subject: 'test-full-partner',
      agency: 'XXTEST001',
      purpose: 'INVESTIGATION',
      operationName: 'FindPerson',
      operationType: 'query',
      outcome: 'ok',
      ms: expect.any(Number),
    });
    const written = JSON.stringify(log.entries());
    expect(written).not.toContain(token);
    expect(written).not.toContain(SECRET_NAME);
    expect(JSON.stringify(hop.seen)).not.toContain(token);
  });

  it('gives a request without an acceptable id a new one', async () => {
    const headers = await bearer();
    const missing = await post({ query: '{ wantedPerson(id: "W000000001") { id } }' }, headers);
    const malformed = await post(
      { query: '{ wantedPerson(id: "W000000001") { id } }' },
      { ...headers, 'x-request-id': 'has spaces; and "quotes"' },
    );
    expect(missing.requestId).toMatch(UUID);
    expect(malformed.requestId).toMatch(UUID);
    expect(requestLines().map((entry) => entry.requestId)).toEqual(expect.arrayContaining([missing.requestId, malformed.requestId]));
  });

  it('logs a refused token as a 401 with no partner and no token', async () => {
    const forged = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl';
    const answer = await post(
      { query: '{ wantedPerson(id: "W000000001") { id } }' },
      { authorization: `Bearer ${forged}`, 'x-request-id': 'forged-0001' },
    );
    expect(answer.status).toBe(401);
    expect(requestLines().find((entry) => entry.requestId === 'forged-0001')).toMatchObject({
      status: 401,
      subject: null,
      agency: null,
      outcome: 'error',
    });
    expect(JSON.stringify(log.entries())).not.toContain(forged);
  });
});

describe('/metrics and partial answers', () => {
  const metric = async (series: string) => {
    const text = await (await fetch(new URL('/metrics', stack.gatewayOperationsUrl))).text();
    return Number(
      text
        .split('\n')
        .find((line) => line.startsWith(`${series} `))
        ?.split(' ')[1] ?? 0,
    );
  };

  it('counts requests, latencies, subgraph requests and breaker states, in the Prometheus text format', async () => {
    const headers = await bearer();
    const okBefore = await metric('liaison_gateway_requests_total{status="200",outcome="ok"}');
    for (let i = 0; i < 3; i += 1) await post({ query: '{ wantedPerson(id: "W000000001") { id } }' }, headers);
    expect(await metric('liaison_gateway_requests_total{status="200",outcome="ok"}')).toBe(okBefore + 3);
    expect(await metric('liaison_gateway_request_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(okBefore + 3);
    expect(await metric('liaison_gateway_request_duration_seconds_bucket{le="+Inf",outcome="ok"}')).toBeGreaterThanOrEqual(okBefore + 3);
    expect(await metric('liaison_gateway_subgraph_requests_total{subgraph="wanted-persons"}')).toBeGreaterThanOrEqual(3);
    expect(await metric('liaison_gateway_subgraph_breaker_state{subgraph="wanted-persons",state="closed"}')).toBe(1);
    const response = await fetch(new URL('/metrics', stack.gatewayOperationsUrl));
    expect(response.headers.get('content-type')).toContain('text/plain');
  });

  it('answers around a stopped subgraph: partial data, SUBGRAPH_UNAVAILABLE naming it, counted and logged under the request id', async () => {
    await stack.subgraphs['stolen-property']!.close();
    const headers = { ...(await bearer()), 'x-request-id': 'partial-0001' };
    const answer = await post(
      { query: `{ wantedPerson(id: "${personId(1)}") { id } propertyItem(id: "${propertyId(1)}") { id } }` },
      headers,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ wantedPerson: { id: personId(1) }, propertyItem: null });
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringContaining('stolen-property'),
        path: ['propertyItem'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'stolen-property', reason: 'unreachable', serviceName: 'stolen-property' },
      },
    ]);
    expect(requestLines().find((entry) => entry.requestId === 'partial-0001')).toMatchObject({
      outcome: 'partial',
      errorCodes: ['SUBGRAPH_UNAVAILABLE'],
    });
    const warning = log
      .entries()
      .find((entry) => entry.msg === 'subgraph unavailable; answering without it' && entry.requestId === 'partial-0001');
    expect(warning).toMatchObject({ subgraph: 'stolen-property', reason: 'unreachable', read: true });
    expect(await metric('liaison_gateway_subgraph_errors_total{subgraph="stolen-property",reason="unreachable"}')).toBeGreaterThan(0);
    expect(await metric('liaison_gateway_requests_total{status="200",outcome="partial"}')).toBeGreaterThan(0);
  });
});
