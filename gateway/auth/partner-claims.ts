import type { JWTPayload } from 'jose';
import { type Principal, SUBJECT } from '../../lib/authz/principal.ts';
import { AGENCY_CODE, JURISDICTION_CODE } from '../../lib/domain/index.ts';
import { isScopeWord, MAX_SCOPES, parseScopeList } from '../../lib/authz/scopes.ts';
import { AuthenticationError } from './authentication-error.ts';

/** A verified partner token's payload, before its claims are checked. */
export interface PartnerClaims extends JWTPayload {
  agency?: unknown;
  scope?: unknown;
  scp?: unknown;
  jurisdictions?: unknown;
}

/**
 * Maps a signature-checked token's claims to a Principal, refusing any claim of the wrong type or
 * shape: each ends up in audit entries and in the identity signed for subgraphs, where a number, an
 * empty string or a scope list read two ways would be a 500 or an entry naming nobody.
 */
export function principalOf(claims: PartnerClaims): Principal {
  if (typeof claims.sub !== 'string' || !SUBJECT.test(claims.sub)) throw new AuthenticationError('token has no valid sub claim');
  if (typeof claims.agency !== 'string' || !AGENCY_CODE.test(claims.agency))
    throw new AuthenticationError('token has no valid agency claim');
  const scopes = scopesOf(claims);
  if (!scopes) throw new AuthenticationError('token has no valid scope claim');
  const jurisdictions = claims.jurisdictions ?? [];
  if (!Array.isArray(jurisdictions) || !jurisdictions.every((code) => typeof code === 'string' && JURISDICTION_CODE.test(code))) {
    throw new AuthenticationError('token has an invalid jurisdictions claim');
  }
  return { subject: claims.sub, agency: claims.agency, scopes: new Set(scopes), jurisdictions };
}

/** `scope` (space-separated) or `scp` (an array of words), or both when they say the same; null otherwise. */
function scopesOf(claims: PartnerClaims): string[] | null {
  const fromScope = claims.scope === undefined ? undefined : parseScopeList(claims.scope);
  const fromScp =
    claims.scp === undefined
      ? undefined
      : Array.isArray(claims.scp) && claims.scp.length <= MAX_SCOPES && claims.scp.every(isScopeWord)
        ? claims.scp
        : null;
  if (fromScope === null || fromScp === null || (fromScope === undefined && fromScp === undefined)) return null;
  if (fromScope && fromScp && !sameSet(fromScope, fromScp)) return null;
  return fromScope ?? fromScp!;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  new Set(a).size === new Set(b).size && a.every((scope) => b.includes(scope));
