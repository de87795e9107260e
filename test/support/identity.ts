import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { GATEWAY_REQUEST_ID_HEADER } from '../../lib/observability/request-metadata.ts';
import { graphql } from './graphql-client.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { devKeyPair } from '../../lib/identity/dev-keys.ts';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER, IdentitySigner } from '../../lib/identity/internal-identity.ts';
import { readSupergraphConfig } from '../../lib/config/supergraph-config.ts';
import { delegationTargets } from '../../gateway/upstream/subgraph-identities.ts';
import { DEMO_AGENCIES } from '../../subgraphs/kit/seed/seed-agencies.ts';

/** A caller that may read every field everywhere, for tests about something other than authorization. */
export const FULL_ACCESS: Caller = {
  principal: {
    subject: 'test-full-access',
    agency: 'XXTEST001',
    scopes: new Set(ALL_SCOPES),
    jurisdictions: [...new Set(DEMO_AGENCIES.map((agency) => agency.country))],
  },
  purpose: { code: 'INVESTIGATION', reference: 'TEST-1' },
};

/** The gateway identity's public keys, as a subgraph under test is configured with. */
export async function identityKeys(): Promise<JWK[]> {
  return [(await devKeyPair('gateway-identity')).publicJwk];
}

/** The development notification relay's public keys, which the relays of test subgraphs sign with. */
export async function relayIdentityKeys(): Promise<JWK[]> {
  return [(await devKeyPair('notification-relay')).publicJwk];
}

let signer: Promise<IdentitySigner> | undefined;
/** The subgraph listening at each URL, as test-subgraph and stack register them, for the identity's audience. */
const subgraphAt = new Map<string, string>();

/** Records that subgraph `name` listens at `url`, so that {@link askSubgraph} can address identities to it. */
export function registerSubgraphUrl(url: string, name: string): void {
  subgraphAt.set(url, name);
}

const gatewaySigner = (): Promise<IdentitySigner> =>
  (signer ??= devKeyPair('gateway-identity').then((pair) => IdentitySigner.create(pair.privateJwk)));

/**
 * Headers that make one direct request to `subgraph` look as if the gateway sent it for `caller`: a fresh
 * identity for that subgraph, the request id it is bound to and, for a mutation, the identities the
 * gateway mints for the subgraphs this one calls on the caller's behalf.
 */
export async function identityHeaders(
  caller: Caller = FULL_ACCESS,
  subgraph = 'wanted-persons',
  { mutation = false }: { mutation?: boolean } = {},
): Promise<Record<string, string>> {
  const signing = await gatewaySigner();
  const requestId = randomUUID();
  const headers = { [IDENTITY_HEADER]: await signing.sign(caller, { subgraph, requestId }), [GATEWAY_REQUEST_ID_HEADER]: requestId };
  const delegations = mutation ? (delegationTargets(readSupergraphConfig()).get(subgraph) ?? []) : [];
  if (delegations.length === 0) return headers;
  const delegated = await Promise.all(delegations.map((delegation) => signing.sign(caller, { ...delegation, requestId })));
  return { ...headers, [DELEGATED_IDENTITY_HEADER]: delegated.join(',') };
}

/** The name of the subgraph a test started at `url`. */
export function subgraphNameAt(url: string): string {
  const name = subgraphAt.get(url);
  if (!name) throw new Error(`no subgraph registered at ${url}: start it with startTestSubgraph or startStack`);
  return name;
}

/** Sends one operation straight to a subgraph, signed as the gateway would for `caller`. */
export async function askSubgraph<D = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  caller: Caller = FULL_ACCESS,
) {
  const mutation = /^\s*mutation\b/.test(query);
  return graphql<D>(url, query, variables, await identityHeaders(caller, subgraphNameAt(url), { mutation }));
}
