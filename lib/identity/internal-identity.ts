import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import { type Caller, type Principal, type Purpose, SUBJECT } from '../authz/principal.ts';
import { AGENCY_CODE, JURISDICTION_CODE } from '../domain/index.ts';
import { formatScopeList, parseScopeList } from '../authz/scopes.ts';

/** The header that carries the gateway-signed identity to subgraphs. */
export const IDENTITY_HEADER = 'liaison-identity';
const ISSUER = 'liaison-gateway';
const AUDIENCE = 'liaison-subgraphs';
/** Short-lived: a leaked identity token is useless within a minute. */
const LIFETIME_SECONDS = 60;
/** Reused while it has at least this long left, so the gateway signs once per caller, not per fetch. */
const REUSE_SECONDS = 30;

interface IdentityClaims extends JWTPayload {
  /** Absent for an anonymous caller: the gateway vouches for the request, not for a partner. */
  agency?: string;
  scope?: string;
  jurisdictions?: string[];
  purpose: Purpose | null;
}

/** Signs callers' identities for subgraphs with the gateway's private key. */
export class IdentitySigner {
  private readonly cache = new Map<string, { token: string; expires: number }>();
  private constructor(
    private readonly key: Awaited<ReturnType<typeof importJWK>>,
    private readonly jwk: JWK,
  ) {}

  static async create(privateJwk: JWK): Promise<IdentitySigner> {
    return new IdentitySigner(await importJWK(privateJwk, privateJwk.alg), privateJwk);
  }

  /** A token asserting the caller (anonymous ones too), valid for a minute. */
  async sign(caller: Caller): Promise<string> {
    const principal = caller.principal;
    const cacheKey = JSON.stringify([
      principal?.subject,
      principal?.agency,
      principal ? [...principal.scopes] : null,
      principal?.jurisdictions,
      caller.purpose,
    ]);
    const now = Math.floor(Date.now() / 1000);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires - now >= REUSE_SECONDS) return cached.token;
    const claims: IdentityClaims = principal
      ? {
          agency: principal.agency,
          scope: formatScopeList(principal.scopes),
          jurisdictions: [...principal.jurisdictions],
          purpose: caller.purpose,
        }
      : { purpose: caller.purpose };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: this.jwk.alg!, kid: this.jwk.kid! })
      .setSubject(principal?.subject ?? 'anonymous')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(this.key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(cacheKey, { token, expires: now + LIFETIME_SECONDS });
    return token;
  }
}

/**
 * Verifies gateway-signed identities in a subgraph; nothing else is trusted. The claims are held to the
 * shapes the gateway verified in the partner's token, read the same way: a scope list that does not
 * split into words exactly as the gateway joined them is refused, not reinterpreted.
 */
export function identityVerifier(publicJwks: JWK[]) {
  const keys = createLocalJWKSet({ keys: publicJwks });
  const algorithms = [...new Set(publicJwks.map((jwk) => jwk.alg).filter((alg): alg is string => typeof alg === 'string'))];
  return async (token: string): Promise<Caller> => {
    const { payload } = await jwtVerify<IdentityClaims>(token, keys, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms,
      clockTolerance: 5,
      maxTokenAge: LIFETIME_SECONDS + 5,
    });
    return { principal: payload.agency === undefined ? null : principalOf(payload), purpose: payload.purpose ?? null };
  };
}

function principalOf(claims: IdentityClaims): Principal {
  const scopes = parseScopeList(claims.scope);
  const jurisdictions: unknown = claims.jurisdictions;
  if (
    typeof claims.sub !== 'string' ||
    !SUBJECT.test(claims.sub) ||
    typeof claims.agency !== 'string' ||
    !AGENCY_CODE.test(claims.agency) ||
    !scopes ||
    !Array.isArray(jurisdictions) ||
    !jurisdictions.every((code) => typeof code === 'string' && JURISDICTION_CODE.test(code))
  ) {
    throw new Error('identity claims are malformed');
  }
  return { subject: claims.sub, agency: claims.agency, scopes: new Set(scopes), jurisdictions };
}
