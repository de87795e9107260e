import { decodeJwt } from 'jose';
import type { Caller } from '../../lib/authz/principal.ts';
import { parseScopeList } from '../../lib/authz/scopes.ts';
import { devKeyPair } from '../../lib/identity/dev-keys.ts';
import { IdentitySigner } from '../../lib/identity/internal-identity.ts';

/**
 * For gateways that cannot sign Liaison identities (the benchmark's peers, the conformance reference):
 * the client sends one gateway-signed identity saying who it is, and every subgraph fetch gets a fresh
 * one for that subgraph and request, signed with the development gateway key, as Liaison signs its own.
 * The client's token is read, not verified: this runs only against the test and benchmark subgraphs.
 */
export async function identityReissuer(): Promise<(clientIdentity: string, subgraph: string, requestId: string) => Promise<string>> {
  const signer = await IdentitySigner.create((await devKeyPair('gateway-identity')).privateJwk);
  return (clientIdentity, subgraph, requestId) => signer.sign(callerIn(clientIdentity), { subgraph, requestId });
}

function callerIn(token: string): Caller {
  const claims = decodeJwt(token) as {
    sub?: string;
    agency?: string;
    scope?: string;
    jurisdictions?: string[];
    purpose?: Caller['purpose'];
  };
  const principal =
    claims.agency === undefined
      ? null
      : {
          subject: claims.sub ?? 'anonymous',
          agency: claims.agency,
          scopes: new Set(parseScopeList(claims.scope) ?? []),
          jurisdictions: claims.jurisdictions ?? [],
        };
  return { principal, purpose: claims.purpose ?? null };
}
