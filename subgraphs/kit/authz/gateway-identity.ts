import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import type { JWK } from 'jose';
import type { Caller } from '../../../lib/authz/principal.ts';
import { unauthenticated } from '../../../lib/errors/index.ts';
import { IDENTITY_HEADER, identityVerifier } from '../../../lib/identity/internal-identity.ts';
import { permitsRelayed } from '../../../lib/identity/relayed-operations.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../../../lib/observability/request-metadata.ts';
import { SeenNonces } from './seen-nonces.ts';

/**
 * Subgraphs trust only the gateway: every request must carry a short-lived identity the gateway signed
 * for this subgraph and this request (its id in the request's `liaison-request-id` header). Anything
 * else (no header, a forged or expired one, one for another subgraph or request, a partner's own token)
 * gets 401. Each identity is good once: a nonce seen before is a replay, refused and logged.
 *
 * Delegated identities (minted by the gateway for a subgraph to present here on the caller's behalf)
 * go through the same checks; the presenter is logged with the refusal or returned with the caller.
 * So do the ownership-notification relay's identities, verified with `relayKeys`: `identify` refuses
 * them, `identifyFor` lets each run the one GraphQL operation it names (see `permitsRelayed`).
 */
export function gatewayIdentity(keys: JWK[], subgraph: string, log: Logger, relayKeys: JWK[] = []): SubgraphIdentity {
  const verify = identityVerifier(keys, subgraph, relayKeys);
  const seen = new SeenNonces();
  const check = async (req: IncomingMessage) => {
    const token = req.headers[IDENTITY_HEADER];
    if (typeof token !== 'string' || token === '') throw refused('requests must come through the Liaison gateway');
    const requestId = req.headers[GATEWAY_REQUEST_ID_HEADER];
    let verified;
    try {
      verified = await verify(token, typeof requestId === 'string' ? requestId : undefined);
    } catch (error) {
      log.warn({ reason: (error as Error).message, remote: req.socket.remoteAddress }, 'gateway identity rejected');
      throw refused('gateway identity rejected');
    }
    if (!seen.claim(verified.nonce, verified.acceptedUntilMs)) {
      log.warn({ reason: 'nonce seen before', actor: verified.actor, remote: req.socket.remoteAddress }, 'gateway identity replayed');
      throw refused('gateway identity rejected');
    }
    return verified;
  };
  const refuseRelayed = (req: IncomingMessage, operation: string): never => {
    log.warn(
      { reason: `relay identity for ${operation} presented for another request`, remote: req.socket.remoteAddress },
      'gateway identity rejected',
    );
    throw refused('gateway identity rejected');
  };
  return {
    /** The caller of a request that only the gateway's identities may make. */
    async identify(req: IncomingMessage): Promise<Caller> {
      const { caller, relayedOperation } = await check(req);
      return relayedOperation ? refuseRelayed(req, relayedOperation) : caller;
    },
    /** The caller of a GraphQL request whose document is `query`. */
    async identifyFor(req: IncomingMessage, query: unknown): Promise<Caller> {
      const { caller, relayedOperation } = await check(req);
      return relayedOperation && !permitsRelayed(relayedOperation, query) ? refuseRelayed(req, relayedOperation) : caller;
    },
  };
}

/** How a subgraph learns who a request is from. */
export interface SubgraphIdentity {
  /** The caller of a request that only the gateway's identities may make. */
  identify(req: IncomingMessage): Promise<Caller>;
  /** The caller of a GraphQL request whose document is `query`. */
  identifyFor(req: IncomingMessage, query: unknown): Promise<Caller>;
}

function refused(message: string): GraphQLError {
  return unauthenticated(`Unauthenticated: ${message}`, { http: { status: 401 } });
}
