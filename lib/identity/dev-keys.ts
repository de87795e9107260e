import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { ROOT } from '../config/supergraph-config.ts';

/** Where development keys live; the folder is git-ignored and never used in production. */
export const DEV_KEYS_DIR = resolve(ROOT, '.keys');

/** Key ids of development keys start with this, so production can recognise and refuse them. */
export const DEV_KID_PREFIX = 'dev-';

/** The algorithm of every development key. */
export const DEV_ALGORITHM = 'ES256';

/** A signing key pair as JWKs. */
export interface KeyPair {
  privateJwk: JWK;
  publicJwk: JWK;
}

/** The two development key pairs: the demo token issuer's and the gateway's internal identity. */
export type DevKeyName = 'partner-issuer' | 'gateway-identity';

/**
 * Returns a development key pair, generating it on first use. Several processes start at once under
 * `npm start`, so the file is written aside and linked into place: exactly one generation wins and
 * every process reads the same key.
 */
export async function devKeyPair(name: DevKeyName): Promise<KeyPair> {
  const path = resolve(DEV_KEYS_DIR, `${name}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as KeyPair;
  } catch {
    mkdirSync(DEV_KEYS_DIR, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
    const kid = `${DEV_KID_PREFIX}${name}-${randomUUID().slice(0, 8)}`;
    const pair: KeyPair = {
      privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALGORITHM, use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ALGORITHM, use: 'sig' },
    };
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(pair), { mode: 0o600 });
    try {
      linkSync(temporary, path);
    } catch {
      // Another process linked its key first; use that one.
    } finally {
      unlinkSync(temporary);
    }
    return JSON.parse(readFileSync(path, 'utf8')) as KeyPair;
  }
}

/** Whether a key is a development key (refused in production). */
export const isDevKey = (jwk: JWK): boolean => typeof jwk.kid === 'string' && jwk.kid.startsWith(DEV_KID_PREFIX);
