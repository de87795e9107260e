import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway, type BuiltGateway } from '../gateway/server.ts';
import { ConfigError } from '../lib/config/env.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { graphql } from './support/graphql-client.ts';
import { freshSigner } from './support/jwt.ts';

// The explorer and introspection help developers and map the schema for an attacker: production serves
// neither unless configured to, and never mints development tokens. No subgraph is needed for any of it.
const log = createLogger('test', 'silent');
const INTROSPECTION = '{ __schema { queryType { name } } }';

let dir: string;
let productionEnv: Record<string, string>;
const gateways: BuiltGateway[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liaison-explorer-'));
  const partner = await freshSigner('idp-2025-01');
  const identity = await freshSigner('gateway-2025-01');
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [partner.publicJwk] }));
  writeFileSync(join(dir, 'identity.json'), JSON.stringify({ ...(await exportJWK(identity.key)), kid: identity.kid, alg: identity.alg }));
  productionEnv = {
    NODE_ENV: 'production',
    AUTH_ISSUER: 'https://idp.example',
    AUTH_JWKS_FILE: join(dir, 'jwks.json'),
    IDENTITY_PRIVATE_KEY_FILE: join(dir, 'identity.json'),
  };
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A listening gateway for the environment, and its origin. */
async function start(env: Record<string, string>): Promise<{ origin: string; graphqlUrl: string }> {
  const gateway = await buildGateway(loadGatewayConfig({ LOG_LEVEL: 'silent', ...env }), log);
  gateways.push(gateway);
  const graphqlUrl = await gateway.listen(0, '127.0.0.1');
  return { origin: new URL(graphqlUrl).origin, graphqlUrl };
}

describe('EXPLORER_ENABLED and INTROSPECTION_ENABLED', () => {
  it('default to on in development and off in production, and name the variable when malformed', () => {
    expect(loadGatewayConfig({})).toMatchObject({ explorerEnabled: true, introspectionEnabled: true });
    expect(loadGatewayConfig(productionEnv)).toMatchObject({ explorerEnabled: false, introspectionEnabled: false });
    expect(loadGatewayConfig({ ...productionEnv, EXPLORER_ENABLED: 'true' })).toMatchObject({
      explorerEnabled: true,
      introspectionEnabled: false,
    });
    expect(loadGatewayConfig({ INTROSPECTION_ENABLED: 'false' })).toMatchObject({ explorerEnabled: true, introspectionEnabled: false });
    expect(() => loadGatewayConfig({ EXPLORER_ENABLED: 'yes' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ EXPLORER_ENABLED: 'yes' })).toThrow(/EXPLORER_ENABLED/);
  });

  it('production by default: no explorer, no development tokens, introspection refused', async () => {
    const { origin, graphqlUrl } = await start(productionEnv);
    expect((await fetch(`${origin}/`)).status).toBe(404);
    expect((await fetch(`${origin}/explorer/dev-profiles`)).status).toBe(404);
    const answer = await graphql(graphqlUrl, INTROSPECTION);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('production with both switched on: explorer and introspection, still no development tokens', async () => {
    const { origin, graphqlUrl } = await start({ ...productionEnv, EXPLORER_ENABLED: 'true', INTROSPECTION_ENABLED: 'true' });
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await fetch(`${origin}/explorer/dev-profiles`)).status).toBe(404);
    expect((await graphql(graphqlUrl, INTROSPECTION)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('development: demo profiles whose tokens the gateway accepts, and what each may read', async () => {
    const { origin, graphqlUrl } = await start({});
    const response = await fetch(`${origin}/explorer/dev-profiles`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const profiles = (await response.json()) as {
      name: string;
      token: string | null;
      scopes: { scope: string; meaning: string }[];
      access: { coordinate: string; allowed: boolean }[];
    }[];
    expect(profiles.map((profile) => profile.name)).toEqual([
      'analyst FR (read + PII)',
      'border officer DE (read-only)',
      'auditor',
      'anonymous',
    ]);
    const [analyst, border, , anonymous] = profiles;
    expect(analyst!.scopes).toContainEqual({ scope: 'wanted:pii', meaning: expect.stringContaining('names') });
    const access = (profile: typeof analyst, coordinate: string) =>
      profile!.access.find((field) => field.coordinate === coordinate)?.allowed;
    expect(access(analyst, 'WantedPerson.familyName')).toBe(true);
    expect(access(border, 'WantedPerson.familyName')).toBe(false);
    expect(access(border, 'Vehicle')).toBe(true);
    expect(anonymous!.token).toBeNull();
    expect(anonymous!.access.every((field) => !field.allowed)).toBe(true);
    // Introspection needs no subgraph, so it proves the token verifies: a bad one would be HTTP 401.
    const asAnalyst = await graphql(graphqlUrl, INTROSPECTION, undefined, { authorization: `Bearer ${analyst!.token}` });
    expect(asAnalyst.status).toBe(200);
    expect(asAnalyst.errors).toBeUndefined();
  });
});
