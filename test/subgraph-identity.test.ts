import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { IDENTITY_HEADER } from '../lib/identity/internal-identity.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../lib/observability/request-metadata.ts';
import { graphql } from './support/graphql-client.ts';
import { type RecordingProxy, startRecordingProxy } from './support/recording-proxy.ts';
import { FULL_ACCESS, identityHeaders } from './support/identity.ts';
import { craftToken, devSigner, freshSigner, nowSeconds, type TestSigner } from './support/jwt.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// Subgraphs trust only the gateway. These requests go straight to a subgraph, as an attacker inside the
// network would send them, and through the gateway with a smuggled identity header.
const QUERY = '{ wantedPerson(id: "W000000001") { id } }';
const NOT_THROUGH_GATEWAY = {
  message: 'Unauthenticated: requests must come through the Liaison gateway',
  extensions: { code: 'UNAUTHENTICATED' },
};
const IDENTITY_REJECTED = { message: 'Unauthenticated: gateway identity rejected', extensions: { code: 'UNAUTHENTICATED' } };

// What the gateway's IdentitySigner writes (lib/identity/internal-identity.ts), repeated here so a
// change there that subgraphs would not follow shows up as a failing test.
const IDENTITY = { issuer: 'liaison-gateway', audience: 'liaison-subgraph:wanted-persons' };
const IDENTITY_CLAIMS = {
  agency: FULL_ACCESS.principal!.agency,
  scope: [...FULL_ACCESS.principal!.scopes].join(' '),
  jurisdictions: FULL_ACCESS.principal!.jurisdictions,
  purpose: FULL_ACCESS.purpose,
};

let stack: Stack;
let subgraph: string;
let gatewayKey: TestSigner;
// The gateway reaches wanted-persons through this hop, so a test can read the identity it forwarded.
let hop: RecordingProxy;
beforeAll(async () => {
  gatewayKey = await devSigner('gateway-identity');
  hop = await startRecordingProxy([IDENTITY_HEADER]);
  stack = await startStack('pglite', { gatewayEnv: { WANTED_PERSONS_URL: hop.url } });
  subgraph = stack.subgraphUrls['wanted-persons']!;
  hop.target = subgraph;
});
afterAll(async () => {
  await stack?.close();
  await hop?.close();
});

/**
 * Headers of a direct request whose identity differs from what the gateway would sign only where a test
 * says so: a fresh nonce, bound to the request id sent beside it.
 */
async function identity(
  signer: TestSigner,
  differences: { issuedAt?: number; expiresAt?: number; audience?: string | string[]; sentWithRequestId?: string } = {},
) {
  const requestId = randomUUID();
  const { sentWithRequestId, ...claims } = differences;
  const token = await craftToken(signer, {
    claims: { ...IDENTITY_CLAIMS, rid: requestId, jti: randomUUID() },
    subject: FULL_ACCESS.principal!.subject,
    ...IDENTITY,
    expiresAt: nowSeconds() + 25,
    ...claims,
  });
  return { [IDENTITY_HEADER]: token, [GATEWAY_REQUEST_ID_HEADER]: sentWithRequestId ?? requestId };
}

describe('a subgraph reached directly', () => {
  it('refuses a request without an identity', async () => {
    const response = await graphql(subgraph, QUERY);
    expect(response).toEqual({ status: 401, errors: [NOT_THROUGH_GATEWAY] });
  });

  it("refuses a partner's token sent as a bearer credential", async () => {
    const response = await graphql(subgraph, QUERY, undefined, await bearer());
    expect(response).toEqual({ status: 401, errors: [NOT_THROUGH_GATEWAY] });
  });

  it("refuses a partner's token in the identity header", async () => {
    const token = (await bearer()).authorization!.slice('Bearer '.length);
    const response = await graphql(subgraph, QUERY, undefined, { [IDENTITY_HEADER]: token });
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it("refuses a forged identity: the same claims and the gateway's kid, signed by another key", async () => {
    const forger = { ...(await freshSigner('forger')), kid: gatewayKey.kid! };
    const response = await graphql(subgraph, QUERY, undefined, await identity(forger));
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it('refuses an expired identity, even one the gateway signed', async () => {
    const expired = await identity(gatewayKey, { issuedAt: nowSeconds() - 40, expiresAt: nowSeconds() - 20 });
    const response = await graphql(subgraph, QUERY, undefined, expired);
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it('refuses an identity issued longer ago than the gateway ever lets one live', async () => {
    const stale = await identity(gatewayKey, { issuedAt: nowSeconds() - 120, expiresAt: nowSeconds() + 20 });
    const response = await graphql(subgraph, QUERY, undefined, stale);
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it('refuses an identity minted for the same subgraph and another request', async () => {
    const response = await graphql(subgraph, QUERY, undefined, await identity(gatewayKey, { sentWithRequestId: randomUUID() }));
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it('refuses an identity addressed to this subgraph and another one too', async () => {
    const both = await identity(gatewayKey, { audience: [IDENTITY.audience, 'liaison-subgraph:stolen-property'] });
    const response = await graphql(subgraph, QUERY, undefined, both);
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it('answers an identity crafted like the refused ones but fresh and gateway-signed', async () => {
    const response = await graphql(subgraph, QUERY, undefined, await identity(gatewayKey));
    expect(response).toEqual({ status: 200, data: { wantedPerson: { id: 'W000000001' } } });
  });

  it('answers an identity the gateway signer produced', async () => {
    const response = await graphql(subgraph, QUERY, undefined, await identityHeaders());
    expect(response).toEqual({ status: 200, data: { wantedPerson: { id: 'W000000001' } } });
  });

  it('re-checks field rules: a valid identity without wanted:pii does not read a name', async () => {
    const readOnly: Caller = { ...FULL_ACCESS, principal: { ...FULL_ACCESS.principal!, scopes: new Set(['wanted:read']) } };
    const response = await graphql(
      subgraph,
      '{ wantedPerson(id: "W000000001") { id fullName } }',
      undefined,
      await identityHeaders(readOnly),
    );
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ wantedPerson: { id: 'W000000001', fullName: null } });
    expect(response.errors).toEqual([
      expect.objectContaining({ path: ['wantedPerson', 'fullName'], extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } }),
    ]);
  });
});

describe('an identity the gateway sent, captured on its way to one subgraph', () => {
  /** The identity and request id of the gateway's fetch to wanted-persons for one partner query. */
  async function captured(): Promise<Record<string, string>> {
    const before = hop.seen.length;
    const response = await graphql(stack.gatewayUrl, QUERY, undefined, await bearer({ subject: 'captured-partner' }));
    expect(response).toEqual({ status: 200, data: { wantedPerson: { id: 'W000000001' } } });
    const [seen] = hop.seen.slice(before);
    return { [IDENTITY_HEADER]: seen![IDENTITY_HEADER] as string, [GATEWAY_REQUEST_ID_HEADER]: seen![GATEWAY_REQUEST_ID_HEADER] as string };
  }

  it('is addressed to that subgraph alone and bound to the partner request', async () => {
    const headers = await captured();
    expect(decodeJwt(headers[IDENTITY_HEADER]!)).toMatchObject({
      sub: 'captured-partner',
      aud: 'liaison-subgraph:wanted-persons',
      rid: headers[GATEWAY_REQUEST_ID_HEADER],
      jti: expect.any(String),
    });
  });

  it('is refused when replayed at the subgraph it was for: it was good once', async () => {
    const response = await graphql(subgraph, QUERY, undefined, await captured());
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });

  it("is refused by another agency's subgraph, with its request id", async () => {
    const response = await graphql(
      stack.subgraphUrls['stolen-property']!,
      '{ propertyItem(id: "V000000001") { id } }',
      undefined,
      await captured(),
    );
    expect(response).toEqual({ status: 401, errors: [IDENTITY_REJECTED] });
  });
});

describe('the gateway never forwards an identity header its client sent', () => {
  it('a read-only partner smuggling a full-access identity still gets no name', async () => {
    const headers = { ...(await bearer({ scopes: ['wanted:read'] })), ...(await identityHeaders(FULL_ACCESS)) };
    const response = await graphql(stack.gatewayUrl, '{ wantedPerson(id: "W000000001") { id fullName } }', undefined, headers);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ wantedPerson: { id: 'W000000001', fullName: null } });
    expect(response.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['wantedPerson', 'fullName'], code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    ]);
  });

  // Field rules are also checked by the gateway, so the case above would pass even if the header were
  // forwarded: what reaches the subgraph shows whose identity it acts on.
  it("what reaches the subgraph is the gateway's identity of the real partner, not the smuggled one", async () => {
    const smuggled = await identityHeaders(FULL_ACCESS);
    const headers = { ...(await bearer({ subject: 'read-only-partner', scopes: ['wanted:read'] })), ...smuggled };
    const before = hop.seen.length;
    const response = await graphql(stack.gatewayUrl, QUERY, undefined, headers);
    expect(response).toEqual({ status: 200, data: { wantedPerson: { id: 'W000000001' } } });

    const forwarded = hop.seen.slice(before).map((seen) => seen[IDENTITY_HEADER]);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]).not.toBe(smuggled[IDENTITY_HEADER]);
    expect(decodeJwt(forwarded[0] as string)).toMatchObject({ sub: 'read-only-partner', scope: 'wanted:read', iss: 'liaison-gateway' });
  });

  it('an anonymous client smuggling a full-access identity gets nothing', async () => {
    const response = await graphql(stack.gatewayUrl, QUERY, undefined, await identityHeaders(FULL_ACCESS));
    expect(response.data).toEqual({ wantedPerson: null });
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });
});
