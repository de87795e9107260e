import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../../lib/config/env.ts';
import { DEV_KEYS_DIR, DEV_KID_PREFIX } from '../../../lib/identity/dev-keys.ts';
import { readOrCreateKeyFile } from '../../../lib/identity/write-key-once.ts';

/** The secret a subgraph seals its cached lookups with, and its id (part of every cache key). */
export interface CacheKey {
  kid: string;
  /** 32 bytes; the value and key-name subkeys are derived from it. */
  secret: Buffer;
}

/**
 * The file format: a JWK of an AES-256 key, e.g.
 * `{"kty":"oct","alg":"A256GCM","kid":"cache-2026-01","k":"<43 base64url characters>"}`.
 * The kid appears in Redis key names, so it is limited to characters safe there.
 */
const cacheKeyJwk = z.object({
  kty: z.literal('oct'),
  kid: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'kid: 1-64 letters, digits, _ . -'),
  k: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'k: base64url')
    .refine((k) => Buffer.from(k, 'base64url').length === 32, 'k: must hold 32 bytes (AES-256)'),
});

/** A new key as the file holds it. */
export const newCacheKeyJwk = (kid: string): z.infer<typeof cacheKeyJwk> & { alg: string } => ({
  kty: 'oct',
  alg: 'A256GCM',
  kid,
  k: randomBytes(32).toString('base64url'),
});

function parse(text: string, where: string): CacheKey {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  CACHE_KEY_FILE: ${where} is not JSON (${(error as Error).message})`);
  }
  const parsed = cacheKeyJwk.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(`Invalid configuration:\n  CACHE_KEY_FILE: ${where}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return { kid: parsed.data.kid, secret: Buffer.from(parsed.data.k, 'base64url') };
}

/**
 * The development key, generated on first use beside the other development keys. Several subgraphs
 * start at once under `npm start` and docker-compose, so it is created write-if-absent (as
 * dev-keys.ts does): exactly one generation wins and every replica seals with the same key.
 */
function devCacheKey(): CacheKey {
  const path = resolve(DEV_KEYS_DIR, 'lookup-cache.json');
  const generate = () => JSON.stringify(newCacheKeyJwk(`${DEV_KID_PREFIX}lookup-cache-${randomBytes(4).toString('hex')}`));
  return parse(readOrCreateKeyFile(path, generate), path);
}

/** The cache key from CACHE_KEY_FILE; without it (development only) the generated development key. */
export function readCacheKey(file: string | undefined, production: boolean): CacheKey {
  if (!file) {
    if (production)
      throw new ConfigError('Invalid configuration:\n  CACHE_KEY_FILE: required in production (development keys are refused)');
    return devCacheKey();
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  CACHE_KEY_FILE: cannot read ${file} (${(error as Error).message})`);
  }
  const key = parse(text, file);
  if (production && key.kid.startsWith(DEV_KID_PREFIX))
    throw new ConfigError(
      'Invalid configuration:\n  CACHE_KEY_FILE: holds a development key (kid "dev-…"); production refuses development keys',
    );
  return key;
}

let ephemeral: CacheKey | undefined;
/**
 * A key of this process only, for subgraphs built in code (tests, benchmarks) with cache options but
 * no key: what they cache is readable by no other process, and gone with this one.
 */
export function ephemeralCacheKey(): CacheKey {
  ephemeral ??= { kid: `ephemeral-${randomBytes(4).toString('hex')}`, secret: randomBytes(32) };
  return ephemeral;
}
