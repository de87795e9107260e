import { createHmac } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, type JWK, jwtVerify, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwsKeySet, jwsSigner } from './compact-jws.ts';

async function pair(alg: string, kid: string, options: { crv?: string; modulusLength?: number } = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...options });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), alg, kid } as JWK,
    publicJwk: { ...(await exportJWK(publicKey)), alg, kid, use: 'sig' } as JWK,
  };
}

const b64 = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const payload = { sub: 'officer-1', aud: 'liaison-subgraph:wanted-persons', n: 1 };

describe('compact JWS with node:crypto', () => {
  it.each([
    ['ES256', {}],
    ['ES384', {}],
    ['EdDSA', { crv: 'Ed25519' }],
    ['RS256', { modulusLength: 2048 }],
    ['PS256', { modulusLength: 2048 }],
  ])('signs %s tokens that jose verifies, and verifies tokens jose signed', async (alg, options) => {
    const { privateJwk, publicJwk } = await pair(alg, `k-${alg}`, options);
    const token = jwsSigner(privateJwk)(payload);
    const { payload: byJose, protectedHeader } = await jwtVerify(token, await importJWK(publicJwk, alg), { algorithms: [alg] });
    expect(byJose).toEqual(payload);
    expect(protectedHeader).toEqual({ alg, kid: `k-${alg}` });
    const joseToken = await new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg, kid: `k-${alg}` })
      .sign(await importJWK(privateJwk, alg));
    expect(jwsKeySet([publicJwk]).verify(joseToken)).toEqual(payload);
  });

  it('picks the key the token names among several, and refuses a kid it does not hold', async () => {
    const [one, two] = await Promise.all([pair('ES256', 'one'), pair('ES256', 'two')]);
    const keys = jwsKeySet([one.publicJwk, two.publicJwk]);
    expect(keys.verify(jwsSigner(two.privateJwk)(payload))).toEqual(payload);
    const other = await pair('ES256', 'three');
    expect(() => keys.verify(jwsSigner(other.privateJwk)(payload))).toThrow('no key matches the JWS header');
  });

  it('refuses a token signed by another key under a kid it holds', async () => {
    const [mine, theirs] = await Promise.all([pair('ES256', 'same'), pair('ES256', 'same')]);
    expect(() => jwsKeySet([mine.publicJwk]).verify(jwsSigner(theirs.privateJwk)(payload))).toThrow('JWS signature verification failed');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const { privateJwk, publicJwk } = await pair('ES256', 'k');
    const [header, , signature] = jwsSigner(privateJwk)(payload).split('.');
    const forged = `${header}.${b64({ ...payload, sub: 'someone-else' })}.${signature}`;
    expect(() => jwsKeySet([publicJwk]).verify(forged)).toThrow('JWS signature verification failed');
  });

  it('refuses alg none, an HMAC keyed with the public key, and an algorithm its keys do not declare', async () => {
    const { privateJwk, publicJwk } = await pair('ES256', 'k');
    const keys = jwsKeySet([publicJwk]);
    expect(() => keys.verify(`${b64({ alg: 'none', kid: 'k' })}.${b64(payload)}.`)).toThrow('JWS algorithm none is not allowed');
    const input = `${b64({ alg: 'HS256', kid: 'k' })}.${b64(payload)}`;
    const hmac = createHmac('sha256', JSON.stringify(publicJwk)).update(input).digest('base64url');
    expect(() => keys.verify(`${input}.${hmac}`)).toThrow('JWS algorithm HS256 is not allowed');
    const es384 = await pair('ES384', 'k');
    expect(() => keys.verify(jwsSigner(es384.privateJwk)(payload))).toThrow('JWS algorithm ES384 is not allowed');
    expect(keys.verify(jwsSigner(privateJwk)(payload))).toEqual(payload);
  });

  it('refuses critical header extensions, and what is not a compact JWS of JSON objects', async () => {
    const { publicJwk } = await pair('ES256', 'k');
    const keys = jwsKeySet([publicJwk]);
    // Unsigned: the header is refused before any signature is looked at.
    const signed = `${b64({ alg: 'ES256', kid: 'k', crit: ['exp'], exp: 1 })}.${b64(payload)}.x`;
    expect(() => keys.verify(signed)).toThrow('JWS header extensions are not supported');
    expect(() => keys.verify('a.b')).toThrow('not a compact JWS');
    expect(() => keys.verify(`${b64('[1]')}.${b64(payload)}.x`)).toThrow('JWS header is not a JSON object');
    expect(() => keys.verify(`%%%.${b64(payload)}.x`)).toThrow('JWS header is not base64url-encoded JSON');
  });

  it('refuses to sign with a key that does not fit its declared algorithm', async () => {
    const { privateJwk } = await pair('ES256', 'k');
    expect(() => jwsSigner({ ...privateJwk, alg: 'ES384' })).toThrow('does not fit its algorithm ES384');
    expect(() => jwsSigner({ ...privateJwk, alg: 'HS256' })).toThrow('JWS algorithm HS256 is not supported');
  });
});
