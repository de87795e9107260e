import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { type Caller, type Purpose, PURPOSES, type PurposeCode } from '../../lib/authz/principal.ts';
import { badRequest, unauthenticated } from '../../lib/errors/index.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { isOneLineText } from '../../lib/domain/text.ts';
import { AuthenticationError } from './authentication-error.ts';
import type { PartnerVerifier } from './partner-verifier.ts';

/** Request headers that declare why the partner is asking. */
export const PURPOSE_HEADER = 'liaison-purpose';
export const PURPOSE_REFERENCE_HEADER = 'liaison-purpose-reference';
const MAX_REFERENCE = 200;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Establishes who is calling and why. A bad token is refused with 401 UNAUTHENTICATED; the reason
 * goes to the log only, so a probing client learns nothing about our key set or clock.
 */
export function callerFromRequest(verify: PartnerVerifier, log: Logger) {
  const callerOf = callerFromHeaders(verify, log);
  return (req: IncomingMessage): Promise<Caller> => callerOf(req.headers, req.socket.remoteAddress);
}

/**
 * {@link callerFromRequest} on headers as Node presents them (values are Latin-1, one character per byte),
 * for credentials that arrive outside an HTTP request's headers: a WebSocket's `connection_init` payload.
 */
export function callerFromHeaders(verify: PartnerVerifier, log: Logger) {
  return async (headers: IncomingHttpHeaders, remote: string | undefined): Promise<Caller> => {
    let principal;
    try {
      principal = await verify(headers.authorization);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      log.warn({ reason: error.message, remote }, 'authentication failed');
      throw unauthenticated('Authentication failed', {
        http: { status: 401, headers: new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]) },
      });
    }
    return { principal, purpose: purposeOf(headers) };
  };
}

function purposeOf(headers: IncomingHttpHeaders): Purpose | null {
  const code = header(headers, PURPOSE_HEADER)?.toUpperCase();
  if (!code) return null;
  if (!PURPOSES.includes(code as PurposeCode)) {
    throw badRequest(`${PURPOSE_HEADER} must be one of ${PURPOSES.join(', ')}`);
  }
  const raw = headers[PURPOSE_REFERENCE_HEADER];
  // Decoded before trimming: in Latin-1 the last byte of "à" (C3 A0) reads as a no-break space.
  const reference = typeof raw === 'string' ? utf8(raw)?.trim() : undefined;
  // It is stored in every audit entry: refuse what would not fit, could break a log line or would
  // display as something else, never cut or repair it.
  if (raw !== undefined && (reference === undefined || reference.length > MAX_REFERENCE || !isOneLineText(reference))) {
    throw badRequest(`${PURPOSE_REFERENCE_HEADER} must be UTF-8 text of at most ${MAX_REFERENCE} characters without control characters`);
  }
  return { code: code as PurposeCode, reference: reference || null };
}

/** Node hands header bytes over as Latin-1, one character per byte: read them again as the UTF-8 they are; undefined if they are not. */
function utf8(latin1: string): string | undefined {
  try {
    return UTF8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return undefined;
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}
