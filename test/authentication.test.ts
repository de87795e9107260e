import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { type CryptoKey, exportSPKI, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { graphql } from './support/graphql-client.ts';
import { craftToken, devSigner, freshSigner, nowSeconds, type TestSigner } from './support/jwt.ts';
import { type MemoryLog, memoryLog } from './support/memory-log.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer, FULL_PARTNER } from './support/tokens.ts';

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

/** A token exactly as the claims say: `craftToken` always sets `iat` and a string `sub`, these cases must not. */
async function rawToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT({ iss: 'liaison-dev', aud: 'liaison', exp: nowSeconds() + 3600, ...claims })
    .setProtectedHeader({ alg: issuer.alg, kid: issuer.kid!, typ: 'JWT' })
    .sign(issuer.key);
}
const bearerOf = async (options: Parameters<typeof craftToken>[1]) => `Bearer ${await craftToken(issuer, options)}`;
const YEAR = 365 * 86400;

const REFUSED: { name: string; authorization: () => Promise<string>; reason: string }[] = [
  { name: 'a Basic credential', authorization: async () => 'Basic abc', reason: 'Authorization header is not "Bearer <JWT>"' },
  {
    name: 'a bearer value that is not a JWT',
    authorization: async () => 'Bearer not-a-jwt',
    reason: 'Authorization header is not "Bearer <JWT>"',
  },
  {
    name: 'a token expired 60 s ago, beyond the 30 s clock tolerance',
    authorization: async () =>
      `Bearer ${await craftToken(issuer, { claims: CLAIMS, issuedAt: nowSeconds() - 3660, expiresAt: nowSeconds() - 60 })}`,
    reason: '"exp" claim timestamp check failed',
  },
  {
    name: 'a token from another issuer',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, issuer: 'https://idp.example' })}`,
    reason: 'unexpected "iss" claim value',
  },
  {
    name: 'a token for another audience',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, audience: 'another-api' })}`,
    reason: 'unexpected "aud" claim value',
  },
  {
    name: 'a token without a subject',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: CLAIMS, subject: null })}`,
    reason: 'missing required "sub" claim',
  },
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
  {
    name: "an HS256 token keyed with the issuer's public key",
    authorization: async () => `Bearer ${await hmacWithPublicKey()}`,
    reason: '"alg" (Algorithm) Header Parameter value not allowed',
  },
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
    authorization: async () =>
      `Bearer ${await craftToken(issuer, { claims: { scope: CLAIMS.scope, jurisdictions: CLAIMS.jurisdictions } })}`,
    reason: 'token has no valid agency claim',
  },
  {
    name: 'a token with an invalid jurisdictions claim',
    authorization: async () => `Bearer ${await craftToken(issuer, { claims: { ...CLAIMS, jurisdictions: ['France'] } })}`,
    reason: 'token has an invalid jurisdictions claim',
  },
  {
    name: 'a numeric subject',
    authorization: async () => `Bearer ${await rawToken({ ...CLAIMS, sub: 12345, iat: nowSeconds() })}`,
    reason: 'token has no valid sub claim',
  },
  {
    name: 'an empty subject',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, sub: '' }, subject: null }),
    reason: 'token has no valid sub claim',
  },
  {
    name: 'a subject with a space',
    authorization: async () => bearerOf({ claims: CLAIMS, subject: 'partner one' }),
    reason: 'token has no valid sub claim',
  },
  {
    name: 'a subject with a control character',
    authorization: async () => bearerOf({ claims: CLAIMS, subject: 'partner\u0000' }),
    reason: 'token has no valid sub claim',
  },
  {
    name: 'a subject of 300 characters',
    authorization: async () => bearerOf({ claims: CLAIMS, subject: 'p'.repeat(300) }),
    reason: 'token has no valid sub claim',
  },
  {
    name: 'a token issued an hour from now',
    authorization: async () => bearerOf({ claims: CLAIMS, issuedAt: nowSeconds() + 3600, expiresAt: nowSeconds() + 7200 }),
    reason: '"iat" claim timestamp check failed (it should be in the past)',
  },
  {
    name: 'a token without iat',
    authorization: async () => `Bearer ${await rawToken({ ...CLAIMS, sub: 'test-crafted' })}`,
    reason: 'missing required "iat" claim',
  },
  {
    name: 'a token living a hundred years',
    authorization: async () => bearerOf({ claims: CLAIMS, expiresAt: nowSeconds() + 100 * YEAR }),
    reason: 'exceeds the maximum of 86400 s',
  },
  {
    name: 'a token living a second longer than the maximum',
    authorization: async () => bearerOf({ claims: CLAIMS, expiresAt: nowSeconds() + 86401 }),
    reason: 'exceeds the maximum of 86400 s',
  },
  {
    name: 'a scope of spaces only',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: '   ' } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'a scope with a doubled space',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: 'wanted:read  case:read' } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'a scope with a leading space',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: ' wanted:read' } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'a scope separated by commas',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: 'wanted:read,case:read' } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'a scope with a tab',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: 'wanted:read\tcase:read' } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'a scope with a non-ASCII letter',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: 'wanted:réad' } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'an scp element with a space',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: undefined, scp: ['wanted:read case:read'] } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'an empty scp element',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scope: undefined, scp: ['wanted:read', ''] } }),
    reason: 'token has no valid scope claim',
  },
  {
    name: 'scope and scp that disagree',
    authorization: async () => bearerOf({ claims: { ...CLAIMS, scp: ['case:read'] } }),
    reason: 'token has no valid scope claim',
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

  it('a token issued 10 s from now is accepted, as is one living exactly the maximum: the tolerance applies to iat too', async () => {
    for (const options of [{ issuedAt: nowSeconds() + 10, expiresAt: nowSeconds() + 3610 }, { expiresAt: nowSeconds() + 86400 }]) {
      const response = await send(await bearerOf({ claims: CLAIMS, ...options }));
      expect(response.body).toEqual({ data: { wantedPerson: { id: 'W000000001' } } });
    }
  });

  it('scopes as an scp array of words, and an email-like subject', async () => {
    const response = await send(
      await bearerOf({
        claims: { ...CLAIMS, scope: undefined, scp: ['wanted:read', 'case:read'] },
        subject: 'svc.border+fr@agency.example',
      }),
    );
    expect(response.body).toEqual({ data: { wantedPerson: { id: 'W000000001' } } });
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
    const response = await graphql(
      stack.gatewayUrl,
      '{ wantedPerson(id: "W000000001") { id } case(caseNumber: "C000000001") { caseNumber } }',
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ wantedPerson: null, case: null });
    expect(response.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['wantedPerson'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      { path: ['case'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    ]);
  });
});

/**
 * Sends QUERY over a raw socket with the purpose reference as exactly these bytes, as a client encoding
 * it in UTF-8 (or not) would: Node's own client refuses some of them and re-encodes others.
 */
function sendPurpose(authorization: string, reference: Buffer): Promise<{ status: number; body: any }> {
  const url = new URL(stack.gatewayUrl);
  const body = Buffer.from(JSON.stringify({ query: QUERY }));
  const head = `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nauthorization: ${authorization}\r\nliaison-purpose: INVESTIGATION\r\nliaison-purpose-reference: `;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () =>
      socket.write(Buffer.concat([Buffer.from(head), reference, Buffer.from('\r\n\r\n'), body])),
    );
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const response = Buffer.concat(chunks).toString('utf8');
      const text = response.slice(response.indexOf('\r\n\r\n') + 4);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]), body: text ? JSON.parse(text) : undefined });
    });
  });
}

describe('the purpose reference header', () => {
  it.each(['Affaire n° 2026/ÉTÉ', 'Dossier suivi là'])('is read as UTF-8 and stored as sent in the audit trail: %s', async (reference) => {
    const subject = `purpose-utf8-${randomUUID()}`;
    const response = await sendPurpose((await bearer({ subject })).authorization!, Buffer.from(reference, 'utf8'));
    expect(response).toEqual({ status: 200, body: { data: { wantedPerson: { id: 'W000000001' } } } });
    const entries = await stack.databases['wanted-persons']!.query<{ purpose_reference: string }>(
      'select purpose_reference from audit_entry where partner_subject = $1',
      [subject],
    );
    expect(entries.map((entry) => entry.purpose_reference)).toEqual([reference]);
  });

  it.each([
    ['a C1 control character, in UTF-8', Buffer.from('Affaire \u0085 2026', 'utf8')],
    ['a C1 control character as a single byte', Buffer.from([0x41, 0x85, 0x42])],
    ['bytes that are not UTF-8 (Latin-1 É)', Buffer.from('Affaire \u00c9T\u00c9', 'latin1')],
    ['a right-to-left override', Buffer.from('Affaire \u202e2026', 'utf8')],
    ['a line separator', Buffer.from('Affaire\u20282026', 'utf8')],
  ])('refuses %s with 400 BAD_REQUEST', async (_name, reference) => {
    const response = await sendPurpose((await bearer()).authorization!, reference);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it.each([
    ['DEL', Buffer.from('Affaire\u007f2026', 'utf8')],
    ['a C0 control character', Buffer.from('Affaire\u00012026', 'utf8')],
  ])('refuses %s with 400: Node refuses the request before the gateway reads it', async (_name, reference) => {
    expect((await sendPurpose((await bearer()).authorization!, reference)).status).toBe(400);
  });
});
