import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FULL_ACCESS, identityHeaders, identityKeys } from '../../../test/support/identity.ts';
import { memoryLog } from '../../../test/support/memory-log.ts';
import { gatewayIdentity } from './gateway-identity.ts';

const requestWith = (headers: Record<string, string>) =>
  ({ headers, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

describe('gateway identity at a subgraph', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts an identity once: the same one again is a replay, refused and logged', async () => {
    const { log, entries } = memoryLog();
    const { identify } = gatewayIdentity(await identityKeys(), 'wanted-persons', log);
    const headers = await identityHeaders(FULL_ACCESS, 'wanted-persons');
    expect((await identify(requestWith(headers))).principal?.agency).toBe(FULL_ACCESS.principal!.agency);
    await expect(identify(requestWith(headers))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(entries().some((entry) => entry.msg === 'gateway identity replayed')).toBe(true);
  });

  it("refuses another subgraph's identity, and one presented with another request's id", async () => {
    const { identify } = gatewayIdentity(await identityKeys(), 'wanted-persons', memoryLog().log);
    await expect(identify(requestWith(await identityHeaders(FULL_ACCESS, 'stolen-property')))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const headers = await identityHeaders(FULL_ACCESS, 'wanted-persons');
    await expect(identify(requestWith({ ...headers, 'liaison-request-id': 'another-request' }))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses an identity once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { identify } = gatewayIdentity(await identityKeys(), 'wanted-persons', memoryLog().log);
    const headers = await identityHeaders(FULL_ACCESS, 'wanted-persons');
    vi.setSystemTime(Date.now() + 36_000);
    await expect(identify(requestWith(headers))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('never accepts a forged signature', async () => {
    const { identify } = gatewayIdentity(await identityKeys(), 'wanted-persons', memoryLog().log);
    const headers = await identityHeaders(FULL_ACCESS, 'wanted-persons');
    const [header, payload, signature] = headers['liaison-identity']!.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await expect(identify(requestWith({ ...headers, 'liaison-identity': forged }))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });
});
