import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { type DevKeyName, devKeyPair } from '../../lib/identity/dev-keys.ts';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../../lib/identity/dev-token.ts';

/** A key a test signs with: the key itself, the `alg` and the `kid` written into the token header. */
export interface TestSigner {
  key: CryptoKey | Uint8Array;
  alg: string;
  kid?: string;
}

/** A development key pair's private key, exactly as the gateway or `npm run token` uses it. */
export async function devSigner(name: DevKeyName): Promise<TestSigner> {
  const { privateJwk } = await devKeyPair(name);
  return { key: (await importJWK(privateJwk, privateJwk.alg)) as CryptoKey, alg: privateJwk.alg!, kid: privateJwk.kid! };
}

/** A brand-new ES256 key pair nobody has published, with its public JWK for a key set. */
export async function freshSigner(kid: string): Promise<TestSigner & { publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { key: privateKey, alg: 'ES256', kid, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** Everything a crafted token may vary; each test changes exactly one thing from the defaults. */
export interface CraftOptions {
  /** Payload claims besides the registered ones. */
  claims?: Record<string, unknown>;
  /** `null` leaves `sub` out. */
  subject?: string | null;
  issuer?: string;
  audience?: string | string[];
  /** Seconds since the epoch. */
  issuedAt?: number;
  expiresAt?: number;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Signs a JWT. Defaults describe a valid partner token from the development issuer, valid for an hour,
 * so a test that overrides one field knows that field is the only reason for the outcome.
 */
export async function craftToken(signer: TestSigner, options: CraftOptions = {}): Promise<string> {
  const now = nowSeconds();
  const jwt = new SignJWT(options.claims ?? {})
    .setProtectedHeader({ alg: signer.alg, ...(signer.kid ? { kid: signer.kid } : {}), typ: 'JWT' })
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setIssuedAt(options.issuedAt ?? now)
    .setExpirationTime(options.expiresAt ?? now + 3600);
  const subject = options.subject === undefined ? 'test-crafted' : options.subject;
  if (subject !== null) jwt.setSubject(subject);
  return jwt.sign(signer.key);
}

/** Claims of a partner allowed to read wanted-person records in France. */
export const PARTNER_CLAIMS = { agency: 'FRPN00001', scope: 'wanted:read', jurisdictions: ['FR'] };
