import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standInEngine } from './support/stand-in-engine.ts';
import { type Stack, startStack } from './support/stack.ts';
import { initSocket, type RawSocket } from './support/subscription-clients.ts';
import { bearer } from './support/tokens.ts';

// The gateway's admission checks hold for subscribers as for queries: a safelisted agency subscribes with
// registered operations only, and each new subscription spends the partner's rate limit (stand-in engine).
const REGISTERED = 'subscription Ticks { ticks { n } }';
const UNREGISTERED = 'subscription Ticks { ticks { n } __typename }';
const SAFELISTED = 'ESPN00001';
const BURST = 3;

let stack: Stack;
beforeAll(async () => {
  const manifest = join(mkdtempSync(join(tmpdir(), 'liaison-trusted-')), 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ operations: [{ name: 'Ticks', type: 'subscription', body: REGISTERED }] }));
  stack = await startStack('pglite', {
    subscriptionEngine: standInEngine(),
    gatewayEnv: {
      SAFELIST_AGENCIES: SAFELISTED,
      TRUSTED_DOCUMENTS_FILE: manifest,
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_SUBJECT_BURST: String(BURST),
      RATE_LIMIT_SUBJECT_PER_SECOND: '0.001',
    },
  });
}, 120_000);
afterAll(() => stack?.close());

let subjects = 0;
const credentials = (agency = 'DEBKA0001') => bearer({ subject: `protected-${++subjects}`, agency });
const sse = async (query: string, headers: Record<string, string>) =>
  fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', ...headers } });
const subscribeOnce = async (raw: RawSocket, id: string, query: string) => {
  raw.send({ type: 'subscribe', id, payload: { query } });
  return raw.next((message) => message.id === id && (message.type === 'next' || message.type === 'error'));
};
const codeOf = (message: { payload?: any }) => message.payload?.[0]?.extensions?.code ?? message.payload?.errors?.[0]?.extensions?.code;

describe('trusted documents', () => {
  it('refuses a safelisted agency an unregistered subscription over WebSocket and SSE, and serves the registered one', async () => {
    const headers = await credentials(SAFELISTED);
    const raw = await initSocket(stack.gatewayUrl, headers);
    expect(codeOf(await subscribeOnce(raw, '1', UNREGISTERED))).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect((await subscribeOnce(raw, '2', REGISTERED)).type).toBe('next');
    raw.socket.close();

    const refused = await sse(UNREGISTERED, headers);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'PERSISTED_QUERY_NOT_IN_LIST',
    );
  });

  it('lets an agency that is not safelisted subscribe with any operation', async () => {
    const raw = await initSocket(stack.gatewayUrl, await credentials());
    expect((await subscribeOnce(raw, '1', UNREGISTERED)).type).toBe('next');
    raw.socket.close();
  });
});

describe('rate limits', () => {
  it('spends a token per subscription and refuses the one past the burst with RATE_LIMITED', async () => {
    const headers = await credentials();
    const raw = await initSocket(stack.gatewayUrl, headers);
    for (let n = 1; n <= BURST; n++) expect((await subscribeOnce(raw, String(n), REGISTERED)).type).toBe('next');
    expect(codeOf(await subscribeOnce(raw, 'over', REGISTERED))).toBe('RATE_LIMITED');
    raw.socket.close();
    const refused = await sse(REGISTERED, headers);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    await refused.body?.cancel();
  });
});
