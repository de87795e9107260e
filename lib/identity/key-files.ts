import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { ConfigError } from '../config/env.ts';
import { devKeyPair, type DevKeyName, isDevKey } from './dev-keys.ts';

function readJson(path: string, variable: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: cannot read a JSON key file at ${path} (${(error as Error).message})`);
  }
}

function refuseDevKeys(keys: JWK[], variable: string, production: boolean): JWK[] {
  if (production && keys.some(isDevKey)) {
    throw new ConfigError(
      `Invalid configuration:\n  ${variable}: holds a development key (kid "dev-…"); production refuses development keys`,
    );
  }
  return keys;
}

/** Public keys from a JWKS file (`{"keys": [...]}`), or a development pair's public key outside production. */
export async function publicKeys(file: string | undefined, variable: string, production: boolean, devKey: DevKeyName): Promise<JWK[]> {
  if (!file) {
    if (production) throw new ConfigError(`Invalid configuration:\n  ${variable}: required in production (development keys are refused)`);
    return [(await devKeyPair(devKey)).publicJwk];
  }
  const parsed = readJson(file, variable) as { keys?: unknown };
  if (!Array.isArray(parsed.keys) || parsed.keys.length === 0)
    throw new ConfigError(`Invalid configuration:\n  ${variable}: ${file} is not a JWKS with at least one key`);
  return refuseDevKeys(parsed.keys as JWK[], variable, production);
}

/** A private JWK from a file, or a development pair's private key outside production. */
export async function privateKey(file: string | undefined, variable: string, production: boolean, devKey: DevKeyName): Promise<JWK> {
  if (!file) {
    if (production) throw new ConfigError(`Invalid configuration:\n  ${variable}: required in production (development keys are refused)`);
    return (await devKeyPair(devKey)).privateJwk;
  }
  const jwk = readJson(file, variable) as JWK;
  if (typeof jwk.d !== 'string' || typeof jwk.alg !== 'string' || typeof jwk.kid !== 'string') {
    throw new ConfigError(`Invalid configuration:\n  ${variable}: ${file} must be a private JWK with alg and kid`);
  }
  return refuseDevKeys([jwk], variable, production)[0]!;
}
