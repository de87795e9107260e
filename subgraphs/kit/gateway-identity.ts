import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { JWK } from 'jose';
import type { Caller } from '../../lib/authz/principal.ts';
import { ErrorCode } from '../../lib/errors.ts';
import { IDENTITY_HEADER, identityVerifier } from '../../lib/identity/internal-identity.ts';
import type { Logger } from '../../lib/logger.ts';

/**
 * Subgraphs trust only the gateway: every request must carry a short-lived identity the gateway
 * signed. Anything else (no header, a forged or expired one, a partner's own token) gets 401.
 */
export function gatewayIdentity(keys: JWK[], log: Logger) {
  const verify = identityVerifier(keys);
  return async (req: IncomingMessage): Promise<Caller> => {
    const token = req.headers[IDENTITY_HEADER];
    if (typeof token !== 'string' || token === '') throw refused('requests must come through the Liaison gateway');
    try {
      return await verify(token);
    } catch (error) {
      log.warn({ reason: (error as Error).message, remote: req.socket.remoteAddress }, 'gateway identity rejected');
      throw refused('gateway identity rejected');
    }
  };
}

function refused(message: string): GraphQLError {
  return new GraphQLError(`Unauthenticated: ${message}`, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
}
