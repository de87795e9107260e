import { importJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { FULL_ACCESS } from '../../test/support/identity.ts';
import type { Caller } from '../authz/principal.ts';
import { devKeyPair } from './dev-keys.ts';
import { identityVerifier, IdentitySigner } from './internal-identity.ts';

const pair = await devKeyPair('gateway-identity');
const verify = identityVerifier([pair.publicJwk]);
/** An identity signed with the gateway's key whose claims differ from the signer's only as given. */
const forgedBySigner = async (claims: Record<string, unknown>, subject = 'partner') =>
  new SignJWT({ agency: 'FRPN00001', scope: 'wanted:read', jurisdictions: ['FR'], purpose: null, ...claims })
    .setProtectedHeader({ alg: pair.privateJwk.alg!, kid: pair.privateJwk.kid! })
    .setSubject(subject)
    .setIssuer('liaison-gateway')
    .setAudience('liaison-subgraphs')
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(await importJWK(pair.privateJwk, pair.privateJwk.alg));

describe('the identity between gateway and subgraphs', () => {
  it('carries the scopes, split as they were joined', async () => {
    const signer = await IdentitySigner.create(pair.privateJwk);
    const caller = await verify(await signer.sign(FULL_ACCESS));
    expect(caller.principal).toEqual(FULL_ACCESS.principal);
  });

  it('refuses to sign a scope that is not one word', async () => {
    const signer = await IdentitySigner.create(pair.privateJwk);
    const caller: Caller = { ...FULL_ACCESS, principal: { ...FULL_ACCESS.principal!, scopes: new Set(['wanted:read case:read']) } };
    await expect(signer.sign(caller)).rejects.toThrow('not a scope');
  });

  it.each([
    ['a doubled space in scope', { scope: 'wanted:read  case:read' }],
    ['a scope that is not a string', { scope: ['wanted:read'] }],
    ['a malformed agency', { agency: 'FR' }],
    ['a malformed jurisdiction', { jurisdictions: ['France'] }],
  ])('refuses %s even under a valid signature', async (_name, claims) => {
    await expect(verify(await forgedBySigner(claims))).rejects.toThrow('identity claims are malformed');
  });

  it('refuses an empty subject', async () => {
    await expect(verify(await forgedBySigner({ sub: '' }, ''))).rejects.toThrow('identity claims are malformed');
  });
});
