import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import { ConfigError } from '../lib/config/env.ts';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { publicKeys } from '../lib/identity/key-files.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { freshSigner } from './support/jwt.ts';

// Development keys sit in a git-ignored folder on every developer's machine: a production deployment
// that trusts or signs with one can be impersonated, so start-up must stop and name the variable to fix.
const log = createLogger('test', 'silent');
const ISSUER = 'https://idp.example';

let dir: string;
/** Paths of key files: development ones, and production-like ones made for this run. */
let files: { devJwks: string; partnerJwks: string; devIdentityKey: string; identityKey: string };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liaison-keys-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const partner = await freshSigner('idp-2025-01');
  const identity = await freshSigner('gateway-2025-01');
  const identityPrivate: JWK = { ...(await exportJWK(identity.key)), kid: identity.kid!, alg: identity.alg };
  files = {
    devJwks: write('dev-jwks.json', { keys: [(await devKeyPair('partner-issuer')).publicJwk] }),
    partnerJwks: write('partner-jwks.json', { keys: [partner.publicJwk] }),
    devIdentityKey: write('dev-identity.json', (await devKeyPair('gateway-identity')).privateJwk),
    identityKey: write('identity.json', identityPrivate),
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds the gateway for a production environment; it only listens if a test asks it to. */
const build = (env: Record<string, string>) =>
  buildGateway(loadGatewayConfig({ NODE_ENV: 'production', AUTH_ISSUER: ISSUER, ...env }), log);

/** The ConfigError a promise rejects with, so its message can be checked in full. */
async function configError(attempt: Promise<unknown>): Promise<ConfigError> {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('the gateway in production', () => {
  it('refuses the development issuer', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(
      /AUTH_ISSUER: .*production refuses the development issuer "liaison-dev"/,
    );
  });

  it('requires the partner issuer keys instead of falling back to the development key', async () => {
    const error = await configError(build({}));
    expect(error.message).toMatch(/AUTH_JWKS_FILE: required in production/);
  });

  it('refuses a partner key set that holds a development key', async () => {
    const error = await configError(build({ AUTH_JWKS_FILE: files.devJwks }));
    expect(error.message).toContain('AUTH_JWKS_FILE');
    expect(error.message).toContain('production refuses development keys');
  });

  it('requires its own identity signing key', async () => {
    const error = await configError(build({ AUTH_JWKS_FILE: files.partnerJwks }));
    expect(error.message).toMatch(/IDENTITY_PRIVATE_KEY_FILE: required in production/);
  });

  it('refuses the development identity signing key', async () => {
    const error = await configError(build({ AUTH_JWKS_FILE: files.partnerJwks, IDENTITY_PRIVATE_KEY_FILE: files.devIdentityKey }));
    expect(error.message).toContain('IDENTITY_PRIVATE_KEY_FILE');
    expect(error.message).toContain('production refuses development keys');
  });

  it('starts with production keys for both', async () => {
    const gateway = await build({ AUTH_JWKS_FILE: files.partnerJwks, IDENTITY_PRIVATE_KEY_FILE: files.identityKey });
    await gateway.close();
  });

  it('accepts a JWKS URL, whose keys it cannot inspect before the first token', async () => {
    const gateway = await build({
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      IDENTITY_PRIVATE_KEY_FILE: files.identityKey,
    });
    await gateway.close();
  });
});

describe('token algorithms', () => {
  it.each(['HS256', 'none', 'ES256,HS256', 'ES256, none'])('AUTH_ALGORITHMS=%s is refused in any environment', (algorithms) => {
    expect(() => loadGatewayConfig({ AUTH_ALGORITHMS: algorithms })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ AUTH_ALGORITHMS: algorithms })).toThrow(/AUTH_ALGORITHMS: must list asymmetric algorithms only/);
  });

  it('an asymmetric list is accepted as given', () => {
    expect(loadGatewayConfig({ AUTH_ALGORITHMS: 'ES256, EdDSA' }).auth.algorithms).toEqual(['ES256', 'EdDSA']);
  });
});

describe('a subgraph in production', () => {
  it("requires the gateway's public keys instead of trusting the development key", async () => {
    const error = await configError(publicKeys(undefined, 'IDENTITY_JWKS_FILE', true, 'gateway-identity'));
    expect(error.message).toMatch(/IDENTITY_JWKS_FILE: required in production/);
  });

  it('refuses a gateway key set that holds a development key', async () => {
    const devGatewayJwks = join(dir, 'dev-gateway-jwks.json');
    writeFileSync(devGatewayJwks, JSON.stringify({ keys: [(await devKeyPair('gateway-identity')).publicJwk] }));
    const error = await configError(publicKeys(devGatewayJwks, 'IDENTITY_JWKS_FILE', true, 'gateway-identity'));
    expect(error.message).toContain('IDENTITY_JWKS_FILE');
    expect(error.message).toContain('production refuses development keys');
  });

  it('outside production, uses the development key so `npm start` works without configuration', async () => {
    expect(await publicKeys(undefined, 'IDENTITY_JWKS_FILE', false, 'gateway-identity')).toEqual([
      (await devKeyPair('gateway-identity')).publicJwk,
    ]);
  });
});
