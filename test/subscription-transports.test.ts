import { request as httpRequest } from 'node:http';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { standInEngine } from './support/stand-in-engine.ts';
import { type Stack, startStack } from './support/stack.ts';
import { openSse } from './support/sse-client.ts';
import { eventually, initSocket, openSocket, within, wsUrlOf } from './support/subscription-clients.ts';
import { bearer } from './support/tokens.ts';

// The transports alone, on a real gateway over real sockets, with a stand-in engine (test/support/stand-in-engine.ts).
const engine = standInEngine();
const LIMITS = {
  AUTH_CLOCK_TOLERANCE_SECONDS: '0',
  SUBSCRIPTIONS_PER_CONNECTION: '3',
  SUBSCRIPTIONS_PER_PARTNER: '5',
  SUBSCRIPTIONS_MAX_BUFFERED_BYTES: '262144',
  SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT_MS: '500',
};
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite', { gatewayEnv: LIMITS, subscriptionEngine: engine });
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

let partners = 0;
/** Credentials of a partner of its own, so that no test spends another's subscriptions. */
const credentials = (claims: { ttlSeconds?: number } = {}) => bearer({ subject: `subscriber-${++partners}`, ...claims });
const subscribe = (id: string, operationName = 'Ticks', extensions?: Record<string, unknown>) => ({
  type: 'subscribe',
  id,
  payload: { query: `subscription ${operationName} { ticks { n } }`, operationName, ...(extensions ? { extensions } : {}) },
});
const sseUrl = (operationName = 'Ticks') =>
  `${stack.gatewayUrl}?query=${encodeURIComponent(`subscription ${operationName} { ticks { n } }`)}&operationName=${operationName}`;

describe('WebSocket (graphql-transport-ws)', () => {
  it('delivers events to a graphql-ws client, the caller authenticated from connection_init as over HTTP', async () => {
    const headers = await credentials();
    const client = createClient({ url: wsUrlOf(stack.gatewayUrl), webSocketImpl: WebSocket, connectionParams: headers, retryAttempts: 0 });
    const received: unknown[] = [];
    await within(
      new Promise<void>((resolve, reject) => {
        const stop = client.subscribe(
          { query: 'subscription Ticks { ticks { n } }', operationName: 'Ticks' },
          {
            next: (result) => {
              received.push(result.data);
              if (received.length < 3) return;
              stop();
              resolve();
            },
            error: reject,
            complete: () => undefined,
          },
        );
      }),
      5_000,
      'three events',
    );
    await client.dispose();
    expect(received).toEqual([{ ticks: { n: 1 } }, { ticks: { n: 2 } }, { ticks: { n: 3 } }]);
    const call = engine.calls.at(-1)!;
    expect(call.caller.principal?.subject).toBe(`subscriber-${partners}`);
    expect(call.caller.purpose).toEqual({ code: 'OPERATIONS', reference: 'TEST-REF-1' });
    await eventually(() => call.returned, 2_000, 'the engine stream to be returned once the client completed');
  });

  it('passes extensions.lastEventId to the engine, and a refusal before streaming as an error message', async () => {
    const raw = await initSocket(stack.gatewayUrl, await credentials());
    raw.send(subscribe('1', 'Ticks', { lastEventId: '41' }));
    expect((await raw.next((m) => m.type === 'next')).payload).toMatchObject({ data: { ticks: { n: 42 } } });
    raw.send(subscribe('2', 'Refused'));
    const refused = await raw.next((m) => m.id === '2');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT', field: 'filter.colour' } }] });
    raw.socket.close();
  });

  it('ends a stream the engine ends with a coded error as an error message', async () => {
    const raw = await initSocket(stack.gatewayUrl, await credentials());
    raw.send(subscribe('1', 'Missed'));
    expect((await raw.next((m) => m.type === 'error')).payload).toEqual([
      { message: 'Events beyond the retention window were lost', extensions: { code: 'EVENTS_MISSED' } },
    ]);
    raw.socket.close();
  });

  it.each([
    ['a credential that is not a string', { authorization: 42 }, 4400, 'connection_init payload: authorization must be a string'],
    ['a token that does not verify', { authorization: 'Bearer a.b.c' }, 4403, 'Forbidden: authentication failed'],
    ['an unknown purpose', { authorization: 'Bearer a.b.c', 'liaison-purpose': 'CURIOSITY' }, 4403, 'Forbidden: authentication failed'],
  ])('closes a connection_init with %s', async (_name, payload, code, reason) => {
    const raw = await openSocket(stack.gatewayUrl);
    raw.send({ type: 'connection_init', payload });
    expect(await within(raw.closed, 3_000, 'the close')).toEqual({ code, reason });
  });

  it('closes with 4400 on a bad purpose from a valid token, and on a payload that is not an object', async () => {
    const { authorization } = await credentials();
    const purpose = await openSocket(stack.gatewayUrl);
    purpose.send({ type: 'connection_init', payload: { authorization, 'liaison-purpose': 'CURIOSITY' } });
    expect(await within(purpose.closed, 3_000, 'the close')).toMatchObject({
      code: 4400,
      reason: expect.stringMatching(/^liaison-purpose must be one of/),
    });
    const notObject = await openSocket(stack.gatewayUrl);
    notObject.send({ type: 'connection_init', payload: 'Bearer x' });
    expect(await within(notObject.closed, 3_000, 'the close')).toMatchObject({ code: 4400 });
  });

  it('closes a connection that never sends connection_init (4408), or subscribes before it (4401)', async () => {
    const silent = await openSocket(stack.gatewayUrl);
    expect(await within(silent.closed, 3_000, 'the close')).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    const early = await openSocket(stack.gatewayUrl);
    early.send(subscribe('1'));
    expect(await within(early.closed, 3_000, 'the close')).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('refuses a subscription without a token, and a query, with coded errors on an open connection', async () => {
    const raw = await initSocket(stack.gatewayUrl, {});
    raw.send(subscribe('1'));
    expect((await raw.next((m) => m.id === '1')).payload).toMatchObject([{ extensions: { code: 'UNAUTHENTICATED' } }]);
    const withToken = await initSocket(stack.gatewayUrl, await credentials());
    withToken.send({ type: 'subscribe', id: 'q', payload: { query: '{ __typename }' } });
    expect((await withToken.next((m) => m.id === 'q')).payload).toMatchObject([
      { extensions: { code: 'BAD_REQUEST', reason: 'SUBSCRIPTIONS_ONLY' } },
    ]);
    withToken.send({ type: 'subscribe', id: 'p', payload: { query: 'subscription {' } });
    expect((await withToken.next((m) => m.id === 'p')).payload).toMatchObject([{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }]);
    raw.socket.close();
    withToken.socket.close();
  });

  it('refuses a subscription past SUBSCRIPTIONS_PER_CONNECTION, keeping the others', async () => {
    const raw = await initSocket(stack.gatewayUrl, await credentials());
    for (const id of ['1', '2', '3']) raw.send(subscribe(id, 'Quiet'));
    await eventually(() => engine.calls.filter((call) => call.request.operationName === 'Quiet').length >= 3, 2_000, 'three subscriptions');
    raw.send(subscribe('4', 'Quiet'));
    expect((await raw.next((m) => m.id === '4')).payload).toEqual([
      {
        message: 'At most 3 subscriptions may be open on this connection; complete one first',
        extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 'perConnection', max: 3 },
      },
    ]);
    raw.send({ type: 'complete', id: '1' });
    raw.send(subscribe('5', 'Ticks'));
    expect(await raw.next((m) => m.id === '5' && m.type === 'next')).toBeTruthy();
    raw.socket.close();
  });
});

describe('SSE (graphql-sse, distinct connections)', () => {
  it('streams events with their ids, and hands Last-Event-ID to the engine', async () => {
    const stream = await openSse(sseUrl(), { headers: { ...(await credentials()), 'last-event-id': '7' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await stream.next((event) => event.id === '10');
    expect(stream.events.filter((event) => event.event === 'next').slice(0, 3)).toEqual([
      { event: 'next', id: '8', data: { data: { ticks: { n: 8 } }, extensions: { eventId: '8' } } },
      { event: 'next', id: '9', data: { data: { ticks: { n: 9 } }, extensions: { eventId: '9' } } },
      { event: 'next', id: '10', data: { data: { ticks: { n: 10 } }, extensions: { eventId: '10' } } },
    ]);
    expect(engine.calls.at(-1)!.request.lastEventId).toBe('7');
    stream.abort();
    await eventually(() => engine.calls.at(-1)!.returned, 2_000, 'the engine stream to be returned once the client left');
  });

  it('takes a POSTed JSON subscription too', async () => {
    const stream = await openSse(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await credentials()) },
      body: JSON.stringify({ query: 'subscription Ticks { ticks { n } }' }),
    });
    expect((await stream.next((event) => event.event === 'next')).data).toMatchObject({ data: { ticks: { n: 1 } } });
    stream.abort();
  });

  it.each([
    ['a query', 'query { __typename }', 'BAD_REQUEST'],
    ['a mutation', 'mutation { __typename }', 'BAD_REQUEST'],
    ['a document that does not parse', 'subscription {', 'GRAPHQL_PARSE_FAILED'],
  ])('answers %s with a coded error and complete, then ends the response', async (_name, query, code) => {
    const stream = await openSse(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`, { headers: await credentials() });
    await within(stream.ended, 3_000, 'the response to end');
    expect(stream.events).toMatchObject([
      { event: 'next', data: { errors: [{ extensions: { code } }] } },
      { event: 'complete', data: null },
    ]);
  });

  it('refuses a subscription without a token with UNAUTHENTICATED, and a bad token with 401', async () => {
    const anonymous = await openSse(sseUrl());
    await within(anonymous.ended, 3_000, 'the response to end');
    expect(anonymous.events[0]).toMatchObject({ data: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] } });
    const forged = await fetch(sseUrl(), { headers: { accept: 'text/event-stream', authorization: 'Bearer a.b.c' } });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(await forged.json()).toEqual({ errors: [{ message: 'Authentication failed', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('refuses single connection mode (a PUT reservation, a stream token in a header or the URL) with a coded 400', async () => {
    const attempts: [string, RequestInit][] = [
      ['', { method: 'PUT' }],
      ['', { headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': 'abc' } }],
      ['?token=abc', {}],
    ];
    for (const [query, init] of attempts) {
      const response = await fetch(`${stack.gatewayUrl}${query}`, init);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        errors: [{ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/single connection mode/) }],
      });
    }
  });

  it('leaves POST /graphql JSON requests to Apollo', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await credentials()) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('limits and lifetime', () => {
  it('counts SUBSCRIPTIONS_PER_PARTNER across connections and transports', async () => {
    const headers = await credentials();
    const first = await initSocket(stack.gatewayUrl, headers);
    const second = await initSocket(stack.gatewayUrl, headers);
    for (const id of ['1', '2', '3']) first.send(subscribe(id, 'Ticks'));
    for (const id of ['1', '2']) second.send(subscribe(id, 'Ticks'));
    await second.next((m) => m.id === '2' && m.type === 'next');
    await first.next((m) => m.id === '3' && m.type === 'next');
    const sixth = await openSse(sseUrl(), { headers });
    await within(sixth.ended, 3_000, 'the refusal');
    expect(sixth.events[0]).toMatchObject({
      data: { errors: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 'perPartner', max: 5 } }] },
    });
    first.socket.close();
    await within(first.closed, 3_000, 'the close');
    // The slots come back when the connection goes (the server sees the close a moment after the client).
    let again = await openSse(sseUrl(), { headers });
    for (let attempt = 0; (attempt < 20 && (await again.next(() => true)).event !== 'next') || !again.events[0]?.data?.data; attempt++) {
      again.abort();
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await openSse(sseUrl(), { headers });
    }
    expect(again.events[0]).toMatchObject({ event: 'next', data: { data: { ticks: {} } } });
    again.abort();
    second.socket.close();
  });

  it('closes a WebSocket whose token expires with 4401 and TOKEN_EXPIRED for each subscription', async () => {
    const raw = await initSocket(stack.gatewayUrl, await credentials({ ttlSeconds: 2 }));
    raw.send(subscribe('1', 'Quiet'));
    expect(await within(raw.closed, 4_000, 'the close at expiry')).toEqual({
      code: 4401,
      reason: 'TOKEN_EXPIRED: the token expired; reconnect with a fresh token',
    });
    expect(raw.messages.at(-1)).toEqual({
      id: '1',
      type: 'error',
      payload: [
        {
          message: 'The token expired; reconnect with a fresh token',
          extensions: { code: 'TOKEN_EXPIRED', reconnect: 'WITH_FRESH_TOKEN' },
        },
      ],
    });
  });

  it('ends an SSE stream whose token expires with TOKEN_EXPIRED and complete', async () => {
    const stream = await openSse(sseUrl('Quiet'), { headers: await credentials({ ttlSeconds: 2 }) });
    await within(stream.ended, 4_000, 'the end at expiry');
    expect(stream.events).toEqual([
      {
        event: 'next',
        data: {
          errors: [
            {
              message: 'The token expired; reconnect with a fresh token',
              extensions: { code: 'TOKEN_EXPIRED', reconnect: 'WITH_FRESH_TOKEN' },
            },
          ],
        },
      },
      { event: 'complete', data: null },
    ]);
  });

  it('cuts a WebSocket subscriber that stops reading (SLOW_CONSUMER) instead of buffering', async () => {
    const raw = await initSocket(stack.gatewayUrl, await credentials());
    (raw.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    raw.send(subscribe('1', 'Flood'));
    const flood = () => engine.calls.filter((call) => call.request.operationName === 'Flood').at(-1);
    await eventually(() => flood()?.returned === true, 5_000, 'the flood to be stopped');
    const sent = flood()!.sent;
    (raw.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    // Read again within the grace period, the client gets what was buffered, then the close and its reason.
    expect(await within(raw.closed, 5_000, 'the close')).toEqual({
      code: 1013,
      reason: 'SLOW_CONSUMER: read too slowly; reconnect with the last event id',
    });
    // Bounded: what was sent before the cut is the buffer bound plus what the kernel took, not the flood.
    expect(sent).toBeLessThan(500);
  });

  it('cuts an SSE subscriber that stops reading (SLOW_CONSUMER) instead of buffering', async () => {
    const { authorization } = await credentials();
    const url = new URL(sseUrl('Flood'));
    const response = await within(
      new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
        httpRequest(url, { headers: { accept: 'text/event-stream', authorization } }, resolve)
          .on('error', reject)
          .end(),
      ),
      5_000,
      'the response',
    );
    response.pause();
    const flood = () => engine.calls.filter((call) => call.request.operationName === 'Flood').at(-1);
    await eventually(() => flood()?.returned === true, 5_000, 'the flood to be stopped');
    expect(flood()!.sent).toBeLessThan(500);
    const chunks: string[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    response.resume();
    await within(new Promise((resolve) => response.once('close', resolve)), 5_000, 'the response to end');
    expect(chunks.join('')).toMatch(
      /event: next\ndata: {"errors":\[{"message":"The subscriber read too slowly \(more than 262144 bytes waiting\); reconnect with the last event id received","extensions":{"code":"SLOW_CONSUMER","reconnect":"WITH_LAST_EVENT_ID","maxBufferedBytes":262144}}\]}\n\nevent: complete\ndata:\n\n$/,
    );
  });
});

describe('shutdown', () => {
  it('ends every stream with a reason (WS 1001, SSE SHUTTING_DOWN then complete) before close() resolves', async () => {
    const routing = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
    const config = loadGatewayConfig({ ...routing, ...LIMITS, SUBSCRIPTIONS_HEARTBEAT_MS: '1000', LOG_LEVEL: 'silent' });
    const gateway = await buildGateway(config, createLogger('test', 'silent'), undefined, { subscriptionEngine: engine });
    const url = await gateway.listen(0, '127.0.0.1');
    const headers = await credentials();
    const raw = await initSocket(url, headers);
    raw.send(subscribe('1', 'Quiet'));
    const stream = await openSse(sseUrl('Quiet').replace(stack.gatewayUrl, url), { headers });
    await eventually(() => raw.pings > 0, 3_000, 'a heartbeat ping');
    const started = Date.now();
    await within(gateway.close(), 8_000, 'the gateway to close');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await within(raw.closed, 1_000, 'the WebSocket close')).toEqual({ code: 1001, reason: 'server shutting down, reconnect' });
    await within(stream.ended, 1_000, 'the SSE end');
    expect(stream.events).toEqual([
      {
        event: 'next',
        data: {
          errors: [
            {
              message: 'The server is shutting down; reconnect with the last event id received',
              extensions: { code: 'SHUTTING_DOWN', reconnect: 'WITH_LAST_EVENT_ID' },
            },
          ],
        },
      },
      { event: 'complete', data: null },
    ]);
  });
});
