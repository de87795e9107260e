import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway, type BuiltGateway } from '../gateway/server.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { type Stack, startStack } from './support/stack.ts';
import { testConfig } from './support/test-config.ts';
import { bearer } from './support/tokens.ts';

let stack: Stack;
let second: BuiltGateway;
let secondUrl: string;
beforeAll(async () => {
  stack = await startStack('postgres', { redis: true });
  // A second replica on the same Redis, routed to the same subgraphs.
  const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
  const config = loadGatewayConfig({
    ...routes,
    LOG_LEVEL: 'silent',
    REDIS_URL: testConfig.TEST_REDIS_URL,
    CACHE_KEY_PREFIX: stack.cachePrefix!,
  });
  second = await buildGateway(config, createLogger('test', 'silent'));
  secondUrl = await second.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await second?.close();
  await stack?.close();
});

async function post(url: string, body: object) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await bearer()) },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

describe('automatic persisted queries in Redis', () => {
  it('executes by hash alone on one gateway a query registered through another', async () => {
    const query = `{ wantedPerson(id: "W000000001") { id } } # ${stack.cachePrefix}`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const unknown = await post(secondUrl, { extensions: { persistedQuery } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(stack.gatewayUrl, { query, extensions: { persistedQuery } });
    expect(registered.data?.wantedPerson?.id).toBe('W000000001');
    const byHash = await post(secondUrl, { extensions: { persistedQuery } });
    expect(byHash.errors).toBeUndefined();
    expect(byHash.data).toEqual(registered.data);
  });
});
