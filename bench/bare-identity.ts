import type { IncomingMessage } from 'node:http';
import { decodeJwt } from 'jose';
import type { Caller } from '../lib/authz/principal.ts';
import { IDENTITY_HEADER } from '../lib/identity/internal-identity.ts';
import type { SubgraphIdentity } from '../subgraphs/kit/authz/gateway-identity.ts';

/**
 * The "bare" subgraphs' identity (bench/uncached-subgraph.ts with BENCH_BARE=1): the caller read from the
 * gateway's identity without checking its signature, audience, request or nonce. It prices the kit's
 * identity check by its absence, and exists in the benchmark only.
 */
export const unverifiedIdentity: SubgraphIdentity = {
  identify: async (req) => callerOf(req),
  identifyFor: async (req) => callerOf(req),
};

function callerOf(req: IncomingMessage): Caller {
  const token = req.headers[IDENTITY_HEADER];
  const claims = decodeJwt(typeof token === 'string' ? token : '');
  const purpose = (claims.purpose ?? null) as Caller['purpose'];
  if (typeof claims.agency !== 'string') return { principal: null, purpose };
  return {
    principal: {
      subject: String(claims.sub),
      agency: claims.agency,
      scopes: new Set(
        String(claims.scope ?? '')
          .split(' ')
          .filter(Boolean),
      ),
      jurisdictions: claims.jurisdictions as string[],
    },
    purpose,
  };
}
