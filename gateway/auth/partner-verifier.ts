import { createLocalJWKSet, createRemoteJWKSet, type ExportedJWKSCache, jwksCache, type JWKSCacheInput, jwtVerify, type JWK } from 'jose';
import type { Principal } from '../../lib/authz/principal.ts';
import { AuthenticationError } from './authentication-error.ts';
import { type PartnerClaims, principalOf } from './partner-claims.ts';

/** The longest a partner token may live (`exp` - `iat`) unless AUTH_MAX_TOKEN_LIFETIME_SECONDS says otherwise. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** Where partner tokens' signing keys come from, and what a token must say. */
export interface PartnerAuthOptions {
  /** Public keys as JWKs (configured file or development keys). */
  jwks?: JWK[];
  /** A JWKS URL; an unknown `kid` makes jose refetch it (at most once per cooldown). */
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /** Asymmetric algorithms only: `none` and HMAC are never accepted. */
  algorithms: string[];
  /** Skew allowed on `exp`, `nbf` and `iat`. */
  clockToleranceSeconds: number;
  /** Longest accepted `exp` - `iat`; {@link DEFAULT_MAX_TOKEN_LIFETIME_SECONDS} when omitted. */
  maxTokenLifetimeSeconds?: number;
}

/**
 * An unknown `kid` refetches the JWKS only if the last fetch is older than this. jose's 30 s default
 * refuses a freshly rotated key for up to 30 s after any fetch; 1 s keeps that window short, while a
 * flood of unknown kids still costs the issuer at most one fetch a second (concurrent misses share one).
 */
export const JWKS_REFETCH_COOLDOWN_MS = 1_000;

/** A verified token is trusted again without its signature check for at most this long. */
export const VERIFIED_TOKEN_REUSE_MS = 30_000;
const MAX_REMEMBERED = 10_000;

/** A {@link partnerVerifier}: verifies an `Authorization` value, and says until when a principal it returned may be trusted. */
export interface PartnerVerifier {
  (authorization: string | undefined): Promise<Principal | null>;
  /**
   * When the token behind `principal` stops being accepted (its `exp` plus the clock tolerance, in ms since
   * the epoch), for principals this verifier returned; long-lived streams close then (TOKEN_EXPIRED).
   */
  expiresAt(principal: Principal): number | undefined;
}

/**
 * Verifies `Authorization: Bearer <JWT>` and maps its claims to a Principal; null without a header.
 * A partner sends the same token for its whole life, so a verified one is remembered by its exact text
 * for {@link VERIFIED_TOKEN_REUSE_MS}, never past its expiry (with the allowed skew) and never across a
 * refetch of the key set: a retired key stops working as soon as the gateway has seen the new set.
 */
export function partnerVerifier(options: PartnerAuthOptions): PartnerVerifier {
  // jose records each successful fetch of a remote key set here; its `uat` tells us the set changed.
  const fetched: JWKSCacheInput = {};
  const keySetAge = () => (fetched as Partial<ExportedJWKSCache>).uat;
  const keys = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), {
        cooldownDuration: JWKS_REFETCH_COOLDOWN_MS,
        cacheMaxAge: 600_000,
        timeoutDuration: 5_000,
        [jwksCache]: fetched,
      })
    : createLocalJWKSet({ keys: options.jwks ?? [] });
  const remembered = new Map<string, { principal: Principal; until: number; keySet: number | undefined }>();
  const expiries = new WeakMap<Principal, number>();
  const verifyHeader = async (authorization: string | undefined): Promise<Principal | null> => {
    if (authorization === undefined || authorization === '') return null;
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization.trim());
    if (!match) throw new AuthenticationError('Authorization header is not "Bearer <JWT>"');
    const token = match[1]!;
    const known = remembered.get(token);
    if (known && known.until > Date.now() && known.keySet === keySetAge()) return known.principal;
    remembered.delete(token);
    const { principal, expiresAt } = await verify(token);
    if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
    remembered.set(token, { principal, until: Math.min(Date.now() + VERIFIED_TOKEN_REUSE_MS, expiresAt), keySet: keySetAge() });
    expiries.set(principal, expiresAt);
    return principal;
  };
  return Object.assign(verifyHeader, { expiresAt: (principal: Principal) => expiries.get(principal) });

  /**
   * `iat` is required (as RFC 9068 requires of JWT access tokens): a token's lifetime is `exp` - `iat`,
   * which a token without `iat` would leave unmeasured. jose's `maxTokenAge` refuses an `iat` later than
   * now or older than the lifetime, each with the clock tolerance; the lifetime itself is exact.
   */
  async function verify(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    const maxLifetime = options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    let payload: PartnerClaims;
    try {
      ({ payload } = await jwtVerify<PartnerClaims>(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: options.algorithms,
        clockTolerance: options.clockToleranceSeconds,
        maxTokenAge: maxLifetime,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      throw new AuthenticationError(`token rejected: ${(error as Error).message}`);
    }
    const lifetime = payload.exp! - payload.iat!;
    if (lifetime > maxLifetime)
      throw new AuthenticationError(`token lifetime (exp - iat) of ${lifetime} s exceeds the maximum of ${maxLifetime} s`);
    return { principal: principalOf(payload), expiresAt: (payload.exp! + options.clockToleranceSeconds) * 1000 };
  }
}
