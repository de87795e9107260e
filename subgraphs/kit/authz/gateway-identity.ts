import type { IncomingMessage } from 'node:http';
import type { GraphQLError } from 'graphql';
import { decodeJwt, type JWK } from 'jose';
import type { Caller } from '../../../lib/authz/principal.ts';
import { unauthenticated } from '../../../lib/errors/index.ts';
import { IDENTITY_HEADER, identityVerifier } from '../../../lib/identity/internal-identity.ts';
import type { Logger } from '../../../lib/observability/logger.ts';

/** Seconds past `exp` and past `iat` + 60 s the verifier still accepts (its clock tolerance and max age). */
const ACCEPTED_PAST_EXP_SECONDS = 5;
const ACCEPTED_AGE_SECONDS = 65;
/** Verified identities remembered at once; the gateway reuses one per caller, so few are live. */
const MAX_VERIFIED = 10_000;

/**
 * Subgraphs trust only the gateway: every request must carry a short-lived identity the gateway
 * signed. Anything else (no header, a forged or expired one, a partner's own token) gets 401.
 *
 * The gateway signs one identity per caller and reuses it for half a minute, so the same token
 * arrives many times: a verified token is remembered, by its exact text (signature included), until
 * the moment the verifier would start refusing it. That saves an ECDSA verification per request.
 */
export function gatewayIdentity(keys: JWK[], log: Logger) {
  const verify = identityVerifier(keys);
  const verified = new Map<string, { caller: Caller; acceptedUntilMs: number }>();
  return async (req: IncomingMessage): Promise<Caller> => {
    const token = req.headers[IDENTITY_HEADER];
    if (typeof token !== 'string' || token === '') throw refused('requests must come through the Liaison gateway');
    const known = verified.get(token);
    if (known && Date.now() <= known.acceptedUntilMs) return known.caller;
    if (known) verified.delete(token);
    try {
      const caller = await verify(token);
      const { exp, iat } = decodeJwt(token);
      if (typeof exp === 'number' && typeof iat === 'number') {
        if (verified.size >= MAX_VERIFIED) verified.clear();
        verified.set(token, { caller, acceptedUntilMs: 1000 * Math.min(exp + ACCEPTED_PAST_EXP_SECONDS, iat + ACCEPTED_AGE_SECONDS) });
      }
      return caller;
    } catch (error) {
      log.warn({ reason: (error as Error).message, remote: req.socket.remoteAddress }, 'gateway identity rejected');
      throw refused('gateway identity rejected');
    }
  };
}

function refused(message: string): GraphQLError {
  return unauthenticated(`Unauthenticated: ${message}`, { http: { status: 401 } });
}
