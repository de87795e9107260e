import { type CryptoKey, exportSPKI, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { graphql } from './support/graphql-client.ts';
import { craftToken, devSigner, freshSigner, nowSeconds, type TestSigner } from './support/jwt.ts';
import { type MemoryLog, memoryLog } from './support/memory-log.ts';
import { type Stack, startStack } from './support/stack.ts';
import { FULL_PARTNER } from './support/tokens.ts';

// A partner that may read W000000001: an accepted token shows it, an anonymous request gets null.
const CLAIMS = { agency: FULL_PARTNER.agency, scope: 'wanted:read', jurisdictions: FULL_PARTNER.jurisdictions };
const QUERY = '{ wantedPerson(id: "W000000001") { id } }';

let stack: Stack;
let gatewayLog: MemoryLog;
let issuer: TestSigner;
beforeAll(async () => {
  gatewayLog = memoryLog();
  issuer = await devSigner('partner-issuer');
  stack = await startStack('pglite', { gatewayLog: gatewayLog.log });
});
afterAll(() => stack?.close());
beforeEach(() => gatewayLog.clear());

/** POSTs QUERY with the given Authorization header and keeps what a client sees: status, headers, raw body. */
async function send(authorization: string) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: QUERY }),
  });
  const text = await response.text();
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), text, body: JSON.parse(text) };
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payload = () => ({ ...CLAIMS, sub: 'test-crafted', iss: 'liaison-dev', aud: 'liaison', iat: nowSeconds(), exp: nowSeconds() + 3600 });

/** HS256 over the issuer's public key in PEM, the bytes an attacker can download: the classic key confusion. */
async function hmacWithPublicKey(): Promise<string> {
  const { publicJwk } = await devKeyPair('partner-issuer');
  const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as CryptoKey);
  return new SignJWT(CLAIMS)
    .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid!, typ: 'JWT' })
    .setSubject('test-crafted')
    .setIssuer('liaison-dev')
    .setAudience('liaison')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(pem));
}

const REFUSED: { name: string; authorization: () => Promise<string>; reason: string }[] = [
  { name: 'a Basic credential', authorization: async () => 'Basic abc', reason: 'Authorization header is not "Bearer <JWT>"' },
  { name: 'a bearer value that is not a JWT', authorization: async () => 'Bearer not-a-jwt', reason: 'Authorization header is not "Bearer <JWT>"' },
  {
    name: 'a token expired 60 s ago, beyond the 30 s clock tolerance',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, issuedAt: nowSeconds() - 3660, expiresAt: nowSeconds() - 60 })}`,
    reason: '"exp" claim timestamp check failed',
  },
  { name: 'a token from another issuer', authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, issuer: 'https://idp.example' })}`, reason: 'unexpected "iss" claim value' },
  { name: 'a token for another audience', authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, audience: 'another-api' })}`, reason: 'unexpected "aud" claim value' },
  { name: 'a token without a subject', authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, subject: null })}`, reason: 'missing required "sub" claim' },
  {
    name: 'an unsigned alg "none" token',
    authorization: async () => `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload())}.`,
    reason: 'Authorization header is not "Bearer <JWT>"',
  },
  {
    name: 'an alg "none" token with a filler signature',
    authorization: async () => `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload())}.c2ln`,
    reason: '"alg" (Algorithm) Header Parameter value not allowed',
  },
  { name: "an HS256 token keyed with the issuer's public key", authorization: async () => `Bearer ${await hmacWithPublicKey()}`, reason: '"alg" (Algorithm) Header Parameter value not allowed' },
  {
    name: 'a token signed by an unknown key',
    authorization: async () => `Bearer ${await craftToken(await freshSigner('unknown-kid'), { claims: CLAIMS })}`,
    reason: 'no applicable key found in the JSON Web Key Set',
  },
  {
    name: "a token carrying the issuer's kid but signed by another key",
    authorization: async () => `Bearer ${await craftToken({ ...(await freshSigner('x')), kid: issuer.kid! }, { claims: CLAIMS })}`,
    reason: 'signature verification failed',
  },
  {
    name: 'a token without an agency claim',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: { scope: CLAIMS.scope, jurisdictions: CLAIMS.jurisdictions } })}`,
    reason: 'token has no valid agency claim',
  },
  {
    name: 'a token with an invalid jurisdictions claim',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: { ...CLAIMS, jurisdictions: ['France'] } })}`,
    reason: 'token has an invalid jurisdictions claim',
  },
];

describe('a bad partner credential is refused with 401 and the reason goes to the log only', () => {
  it.each(REFUSED)('$name', async ({ authorization, reason }) => {
    const credential = await authorization();
    const response = await send(credential);

    expect(response.status).toBe(401);
    expect(response.wwwAuthenticate).toBe('Bearer error="invalid_token"');
    // Exactly this body, whatever the reason: a probing client learns nothing about our keys or clock.
    expect(response.body).toEqual({ errors: [{ message: 'Authentication failed', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(response.text).not.toContain(reason.replaceAll('"', ''));

    const failures = gatewayLog.entries().filter((entry) => entry.msg === 'authentication failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ level: 40, remote: '127.0.0.1' });
    expect(failures[0]!.reason).toContain(reason);
    // Operators read why, never the credential itself.
    expect(JSON.stringify(gatewayLog.entries())).not.toContain(credential.split(' ')[1]);
  });
});

describe('accepted tokens', () => {
  it('a well-formed token from the development issuer reads the record', async () => {
    const response = await send(`Bearer ${await craftToken(issuer, { claims: CLAIMS })}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { wantedPerson: { id: 'W000000001' } } });
    expect(gatewayLog.entries().filter((entry) => entry.msg === 'authentication failed')).toEqual([]);
  });

  it('a token expired 10 s ago is still accepted: clocks may drift by up to 30 s', async () => {
    const token = await craftToken(issuer, { claims: CLAIMS, issuedAt: nowSeconds() - 3610, expiresAt: nowSeconds() - 10 });
    const response = await send(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { wantedPerson: { id: 'W000000001' } } });
  });
});

describe('a request without a token', () => {
  it('is answered, but every protected root field is null: nothing is public by default', async () => {
    const response = await graphql(stack.gatewayUrl, '{ wantedPerson(id: "W000000001") { id } case(caseNumber: "C000000001") { caseNumber } }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ wantedPerson: null, case: null });
    expect(response.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['wantedPerson'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      { path: ['case'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    ]);
  });
});
