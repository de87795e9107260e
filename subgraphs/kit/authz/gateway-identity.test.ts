import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDENTITY_HEADER } from '../../../lib/identity/internal-identity.ts';
import { FULL_ACCESS, identityHeaders, identityKeys } from '../../../test/support/identity.ts';
import { memoryLog } from '../../../test/support/memory-log.ts';
import { gatewayIdentity } from './gateway-identity.ts';

const requestWith = (token: string) =>
  ({ headers: { [IDENTITY_HEADER]: token }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

describe('gateway identity, remembered once verified', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts the same identity again, and refuses it once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const identify = gatewayIdentity(await identityKeys(), memoryLog().log);
    const token = (await identityHeaders({ ...FULL_ACCESS, purpose: { code: 'AUDIT', reference: 'remembered-1' } }))[IDENTITY_HEADER]!;
    const first = await identify(requestWith(token));
    expect(first.principal?.agency).toBe(FULL_ACCESS.principal!.agency);
    expect(await identify(requestWith(token))).toEqual(first);

    vi.setSystemTime(Date.now() + 71_000);
    await expect(identify(requestWith(token))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('never accepts a forged signature on a token it has already verified', async () => {
    const identify = gatewayIdentity(await identityKeys(), memoryLog().log);
    const token = (await identityHeaders({ ...FULL_ACCESS, purpose: { code: 'AUDIT', reference: 'remembered-2' } }))[IDENTITY_HEADER]!;
    await identify(requestWith(token));
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -4)}${signature!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    await expect(identify(requestWith(forged))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
