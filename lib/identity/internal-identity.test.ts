import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { FULL_ACCESS } from '../../test/support/identity.ts';
import type { Caller } from '../authz/principal.ts';
import { devKeyPair } from './dev-keys.ts';
import { identityVerifier, IdentitySigner, subgraphAudience } from './internal-identity.ts';

const pair = await devKeyPair('gateway-identity');
const signer = await IdentitySigner.create(pair.privateJwk);
const verify = identityVerifier([pair.publicJwk], 'wanted-persons');
const AT_WANTED = { subgraph: 'wanted-persons', requestId: 'request-1' };
/** An identity signed with the gateway's key whose claims differ from the signer's only as given. */
const forgedBySigner = async (
  claims: Record<string, unknown>,
  subject = 'partner',
  audience: string | string[] = subgraphAudience('wanted-persons'),
) => {
  const now = Math.floor(Date.now() / 1000);
  const standard = { sub: subject, iss: 'liaison-gateway', aud: audience, jti: 'nonce-1', iat: now, exp: now + 30 };
  return new SignJWT({
    agency: 'FRPN00001',
    scope: 'wanted:read',
    jurisdictions: ['FR'],
    purpose: null,
    rid: 'request-1',
    ...standard,
    ...claims,
  })
    .setProtectedHeader({ alg: pair.privateJwk.alg!, kid: pair.privateJwk.kid! })
    .sign(await importJWK(pair.privateJwk, pair.privateJwk.alg));
};

describe('the identity between gateway and subgraphs', () => {
  it('carries the scopes, split as they were joined', async () => {
    const { caller } = await verify(await signer.sign(FULL_ACCESS, AT_WANTED), 'request-1');
    expect(caller.principal).toEqual(FULL_ACCESS.principal);
  });

  it('gives every identity a nonce of its own, even for the same caller, subgraph and request', async () => {
    const first = await verify(await signer.sign(FULL_ACCESS, AT_WANTED), 'request-1');
    const second = await verify(await signer.sign(FULL_ACCESS, AT_WANTED), 'request-1');
    expect(first.nonce).not.toBe(second.nonce);
  });

  it('is refused by any other subgraph, and for any other request', async () => {
    const token = await signer.sign(FULL_ACCESS, AT_WANTED);
    await expect(identityVerifier([pair.publicJwk], 'stolen-property')(token, 'request-1')).rejects.toThrow(/aud/);
    await expect(verify(token, 'request-2')).rejects.toThrow('identity was minted for another request');
    await expect(verify(token, undefined)).rejects.toThrow('identity was minted for another request');
  });

  it('refuses an identity addressed to several subgraphs at once', async () => {
    const token = await forgedBySigner({}, 'partner', [subgraphAudience('wanted-persons'), subgraphAudience('stolen-property')]);
    await expect(verify(token, 'request-1')).rejects.toThrow('identity is for more than one subgraph');
  });

  it('holds the time claims to the tolerance: issued in the future, not yet valid, expired or too old, it is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verify(await forgedBySigner({ iat: now + 60 }), 'request-1')).rejects.toThrow('identity was issued in the future');
    await expect(verify(await forgedBySigner({ nbf: now + 60 }), 'request-1')).rejects.toThrow('identity is not valid yet');
    await expect(verify(await forgedBySigner({ nbf: now + 2 }), 'request-1')).resolves.toHaveProperty('nonce', 'nonce-1');
    await expect(verify(await forgedBySigner({ exp: now - 6 }), 'request-1')).rejects.toThrow('identity has expired');
    await expect(verify(await forgedBySigner({ exp: now - 3 }), 'request-1')).resolves.toHaveProperty('nonce', 'nonce-1');
    await expect(verify(await forgedBySigner({ iat: now - 71 }), 'request-1')).rejects.toThrow('identity is older than any identity lives');
  });

  it('refuses an identity from an issuer it does not trust, even one signed with the gateway key', async () => {
    const token = await forgedBySigner({ iss: 'someone-else' });
    await expect(verify(token, 'request-1')).rejects.toThrow('identity is from an issuer this subgraph does not trust');
  });

  it('names the subgraph that presents a delegated identity', async () => {
    const token = await signer.sign(FULL_ACCESS, { ...AT_WANTED, actor: 'case-status' });
    expect((await verify(token, 'request-1')).actor).toBe('case-status');
  });

  it('refuses to sign a scope that is not one word', async () => {
    const caller: Caller = { ...FULL_ACCESS, principal: { ...FULL_ACCESS.principal!, scopes: new Set(['wanted:read case:read']) } };
    await expect(signer.sign(caller, AT_WANTED)).rejects.toThrow('not a scope');
  });

  it.each([
    ['a doubled space in scope', { scope: 'wanted:read  case:read' }],
    ['a scope that is not a string', { scope: ['wanted:read'] }],
    ['a malformed agency', { agency: 'FR' }],
    ['a malformed jurisdiction', { jurisdictions: ['France'] }],
  ])('refuses %s even under a valid signature', async (_name, claims) => {
    await expect(verify(await forgedBySigner(claims), 'request-1')).rejects.toThrow('identity claims are malformed');
  });

  it('refuses an empty subject', async () => {
    await expect(verify(await forgedBySigner({ sub: '' }, ''), 'request-1')).rejects.toThrow('identity claims are malformed');
  });
});
