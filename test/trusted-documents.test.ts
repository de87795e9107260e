import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway, type BuiltGateway } from '../gateway/server.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { type Stack, startStack } from './support/stack.ts';
import { testConfig } from './support/test-config.ts';
import { bearer } from './support/tokens.ts';

const SAFELISTED = 'FRPN00001';
const OTHER = 'DEBKA0001';
const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');

const REGISTERED = 'query Person($id: ID!) { wantedPerson(id: $id) { id noticeType } }';
const FROM_MANIFEST = 'query Case { case(caseNumber: "C000000001") { caseNumber } }';
const UNREGISTERED = '{ wantedPerson(id: "W000000001") { id status } }';

let stack: Stack;
let replica: BuiltGateway;
let replicaUrl: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-trusted-'));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(FROM_MANIFEST), name: 'Case', type: 'query', body: FROM_MANIFEST }],
    }),
  );
  const gatewayEnv = { SAFELIST_AGENCIES: SAFELISTED, TRUSTED_DOCUMENTS_FILE: manifest };
  stack = await startStack('pglite', { redis: true, gatewayEnv });
  // A second replica on the same Redis: registrations made through one hold on the other.
  const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
  replica = await buildGateway(
    loadGatewayConfig({
      ...routes,
      ...gatewayEnv,
      LOG_LEVEL: 'silent',
      REDIS_URL: testConfig.TEST_REDIS_URL,
      CACHE_KEY_PREFIX: stack.cachePrefix!,
    }),
    createLogger('test', 'silent'),
  );
  replicaUrl = await replica.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await replica?.close();
  await stack?.close();
});

const documentsUrl = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/trusted-documents');

async function register(body: unknown, claims: Parameters<typeof bearer>[0] = { agency: SAFELISTED }) {
  const response = await fetch(documentsUrl(stack.gatewayUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer(claims)) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function post(url: string, body: object, agency: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer({ agency })) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }),
  };
}
const byHash = (body: string, variables?: object) => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: sha256(body) } },
});

describe('registering trusted documents', () => {
  it('needs a token with documents:register', async () => {
    const anonymous = await fetch(documentsUrl(stack.gatewayUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"operations":[]}',
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const unscoped = await register({ operations: [{ body: REGISTERED }] }, { agency: SAFELISTED, scopes: ['wanted:read'] });
    expect(unscoped.status).toBe(403);
    expect(unscoped.body.errors[0]).toMatchObject({
      message: 'The token lacks the documents:register scope',
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('refuses the whole manifest when any operation is invalid, naming each problem', async () => {
    const refused = await register({
      operations: [{ name: 'Good', body: REGISTERED }, { name: 'Bad', body: '{ wantedPerson(id: "W1") { nope } }' }, { body: '{ broken' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(refused.body.errors[0].message).toMatch(/operations\.1: Cannot query field "nope"/);
    expect(refused.body.errors[0].message).toMatch(/operations\.2: Syntax Error/);
    const list = await fetch(documentsUrl(stack.gatewayUrl), { headers: await bearer({ agency: SAFELISTED }) });
    expect(((await list.json()) as any).operations).toEqual([]);
  });

  it('refuses an operation over the query limits, and a wrong id', async () => {
    const aliases = `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: wantedPerson(id: "W000000001") { id }`).join(' ')} }`;
    const over = await register({ operations: [{ body: aliases }] });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].message).toMatch(/operations\.0: Aliases limit of 100 exceeded/);
    const wrongId = await register({ operations: [{ id: sha256('other'), body: REGISTERED }] });
    expect(wrongId.status).toBe(400);
    expect(wrongId.body.errors[0].message).toMatch(/id is not the sha256 of body/);
  });

  it('registers an Apollo persisted-query manifest for the token agency, and lists it', async () => {
    const registered = await register({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(REGISTERED), name: 'Person', type: 'query', body: REGISTERED }],
    });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({ agency: SAFELISTED, operations: [{ id: sha256(REGISTERED), name: 'Person' }] });
    const list = await fetch(documentsUrl(replicaUrl), { headers: await bearer({ agency: SAFELISTED }) });
    expect(await list.json()).toEqual({ agency: SAFELISTED, operations: [{ id: sha256(REGISTERED), name: 'Person' }] });
  });
});

describe('a safelisted partner runs registered operations only', () => {
  it('an unregistered operation is refused 403 PERSISTED_QUERY_NOT_IN_LIST, by body or by hash', async () => {
    for (const body of [{ query: UNREGISTERED }, byHash(UNREGISTERED), { query: UNREGISTERED, ...byHash(UNREGISTERED) }]) {
      const response = await post(stack.gatewayUrl, body, SAFELISTED);
      expect(response.status).toBe(403);
      expect(response.data).toBeUndefined();
      expect(response.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    }
  });

  it('a registered operation runs by hash on every replica, and by its exact body', async () => {
    for (const url of [stack.gatewayUrl, replicaUrl]) {
      const response = await post(url, byHash(REGISTERED, { id: 'W000000001' }), SAFELISTED);
      expect(response.errors).toBeUndefined();
      expect(response.data?.wantedPerson?.id).toBe('W000000001');
    }
    const exact = await post(stack.gatewayUrl, { query: REGISTERED, variables: { id: 'W000000002' } }, SAFELISTED);
    expect(exact.data?.wantedPerson?.id).toBe('W000000002');
    const params = new URLSearchParams({
      variables: JSON.stringify({ id: 'W000000003' }),
      extensions: JSON.stringify(byHash(REGISTERED).extensions),
    });
    const get = await fetch(`${stack.gatewayUrl}?${params}`, {
      headers: { 'apollo-require-preflight': 'true', ...(await bearer({ agency: SAFELISTED })) },
    });
    expect(((await get.json()) as any).data?.wantedPerson?.id).toBe('W000000003');
    const unregistered = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(UNREGISTERED)}`, {
      headers: { 'apollo-require-preflight': 'true', ...(await bearer({ agency: SAFELISTED })) },
    });
    expect(unregistered.status).toBe(403);
  });

  it('a registered hash cannot carry another body', async () => {
    const swapped = await post(stack.gatewayUrl, { query: UNREGISTERED, extensions: byHash(REGISTERED).extensions }, SAFELISTED);
    expect(swapped.status).toBe(400);
    expect(swapped.data).toBeUndefined();
  });

  it('the manifest file registers operations for every agency', async () => {
    const response = await post(replicaUrl, byHash(FROM_MANIFEST), SAFELISTED);
    expect(response.data?.case?.caseNumber).toBe('C000000001');
  });

  it('registrations belong to one agency: another agency cannot run them by hash, but may send any query', async () => {
    const other = await post(stack.gatewayUrl, byHash(REGISTERED, { id: 'W000000001' }), OTHER);
    expect(other.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const free = await post(stack.gatewayUrl, { query: UNREGISTERED }, OTHER);
    expect(free.errors).toBeUndefined();
    expect(free.data?.wantedPerson?.id).toBe('W000000001');
  });
});
