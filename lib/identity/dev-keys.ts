import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { ROOT } from '../config/supergraph-config.ts';
import { createKeyFileOnce, readKeyFile } from './write-key-once.ts';

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

/** The development key pairs: the demo token issuer's, the gateway's internal identity, the notification relay's. */
export type DevKeyName = 'partner-issuer' | 'gateway-identity' | 'notification-relay';

/**
 * Returns a development key pair, generating it on first use. Several processes start at once under
 * `npm start` and docker-compose, so it is created write-if-absent: exactly one generation wins and
 * every process reads the same key.
 */
export async function devKeyPair(name: DevKeyName): Promise<KeyPair> {
  const path = resolve(DEV_KEYS_DIR, `${name}.json`);
  const text = readKeyFile(path) ?? createKeyFileOnce(path, JSON.stringify(await newKeyPair(name)));
  return JSON.parse(text) as KeyPair;
}

async function newKeyPair(name: DevKeyName): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const kid = `${DEV_KID_PREFIX}${name}-${randomUUID().slice(0, 8)}`;
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: DEV_ALGORITHM, use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: DEV_ALGORITHM, use: 'sig' },
  };
}

/** Whether a key is a development key (refused in production). */
export const isDevKey = (jwk: JWK): boolean => typeof jwk.kid === 'string' && jwk.kid.startsWith(DEV_KID_PREFIX);
