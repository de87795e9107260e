import { importJWK, SignJWT } from 'jose';
import { SUBJECT } from '../authz/principal.ts';
import { formatScopeList } from '../authz/scopes.ts';
import { devKeyPair } from './dev-keys.ts';

/** Issuer of development tokens; the gateway accepts it by default, and production refuses the key behind it. */
export const DEV_ISSUER = 'liaison-dev';
/** Audience partner tokens must name unless AUTH_AUDIENCE says otherwise. */
export const DEFAULT_AUDIENCE = 'liaison';

/** Claims of a development token. */
export interface DevTokenClaims {
  subject: string;
  agency: string;
  scopes: string[];
  jurisdictions: string[];
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

/**
 * Signs a partner token with the development issuer key, as `npm run token` and the tests do. A subject
 * or scope the gateway would refuse throws here, naming it, rather than yielding a token that gets 401.
 */
export async function signDevToken(claims: DevTokenClaims): Promise<string> {
  if (!SUBJECT.test(claims.subject))
    throw new Error(`not a token subject: ${JSON.stringify(claims.subject)} (1 to 200 letters, digits or . _ ~ : @ + | / = -)`);
  const scope = formatScopeList(claims.scopes);
  const { privateJwk } = await devKeyPair('partner-issuer');
  return new SignJWT({ agency: claims.agency, scope, jurisdictions: claims.jurisdictions })
    .setProtectedHeader({ alg: privateJwk.alg!, kid: privateJwk.kid!, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEFAULT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds}s`)
    .sign(await importJWK(privateJwk, privateJwk.alg));
}
