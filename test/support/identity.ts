import type { JWK } from 'jose';
import { graphql } from './graphql-client.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { devKeyPair } from '../../lib/identity/dev-keys.ts';
import { IDENTITY_HEADER, IdentitySigner } from '../../lib/identity/internal-identity.ts';
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

let signer: Promise<IdentitySigner> | undefined;

/** Headers that make a direct request to a subgraph look as if the gateway sent it for `caller`. */
export async function identityHeaders(caller: Caller = FULL_ACCESS): Promise<Record<string, string>> {
  signer ??= devKeyPair('gateway-identity').then((pair) => IdentitySigner.create(pair.privateJwk));
  return { [IDENTITY_HEADER]: await (await signer).sign(caller) };
}

/** Sends one operation straight to a subgraph, signed as the gateway would for `caller`. */
export async function askSubgraph<D = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  caller: Caller = FULL_ACCESS,
) {
  return graphql<D>(url, query, variables, await identityHeaders(caller));
}
