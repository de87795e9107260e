import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, type BuiltGateway } from '../gateway/server.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { graphql } from './support/graphql-client.ts';
import { type RedisCluster, startRedisCluster } from './support/redis-cluster.ts';
import { type Stack, startStack } from './support/stack.ts';
import { steadyLoad } from './support/steady-load.ts';
import { bearer } from './support/tokens.ts';

// Everything Liaison keeps in Redis, on a real Redis Cluster of three masters and three replicas:
// the subgraphs' lookup cache, and what gateway replicas share (rate limits, persisted queries),
// then a master killed under load.

const LOOKUP = 'query One($id: ID!) { wantedPerson(id: $id) { id } }';
const BURST = 3;

let cluster: RedisCluster;
let stack: Stack;
const replicas: { gateway: BuiltGateway; url: string }[] = [];
beforeAll(async () => {
  cluster = await startRedisCluster();
  // A command timeout well above the default 200 ms: on a loaded CI machine a timeout opens the breaker
  // and turns hits into misses, which is the outage tests' subject, not this file's.
  stack = await startStack('pglite', { redis: { clusterNodes: cluster.nodes, retryAfterMs: 300, timeoutMs: 2_000 } });
  // Two more gateway replicas on the same subgraphs and cluster, with rate limits on.
  const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
  for (let i = 0; i < 2; i++) {
    const gateway = await buildGateway(
      loadGatewayConfig({
        ...routes,
        LOG_LEVEL: 'silent',
        REDIS_CLUSTER_NODES: cluster.nodes,
        CACHE_KEY_PREFIX: stack.cachePrefix!,
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_SUBJECT_BURST: String(BURST),
        RATE_LIMIT_SUBJECT_PER_SECOND: '0.001',
      }),
      createLogger('test', 'silent'),
    );
    replicas.push({ gateway, url: await gateway.listen(0, '127.0.0.1') });
  }
}, 120_000);
afterAll(async () => {
  for (const { gateway } of replicas) await gateway.close();
  await stack?.close();
  await cluster?.close();
});

const hits = async () => {
  const text = await stack.subgraphs['wanted-persons']!.cache.metrics.exposition();
  return Number(/liaison_cache_hits_total\{subgraph="wanted-persons",entity="WantedPerson"\} (\d+)/.exec(text)?.[1] ?? 0);
};
const lookUp = async (url: string, id: string, headers: Record<string, string>) => graphql(url, LOOKUP, { id }, headers);
/** Whether, within `ms`, a record looked up twice is a hit the second time (the cluster client is ready). */
let probed = 40;
const cachingWithin = async (ms: number, headers: Record<string, string>) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const id = personId(probed++);
    await lookUp(stack.gatewayUrl, id, headers);
    const before = await hits();
    await lookUp(stack.gatewayUrl, id, headers);
    if ((await hits()) > before) return true;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return false;
};
let subjects = 0;
const freshPartner = () => bearer({ subject: `cluster-partner-${++subjects}` });

describe('on a Redis Cluster', () => {
  it('caches lookups, spread over the masters', async () => {
    const headers = await bearer();
    expect(await cachingWithin(15_000, headers)).toBe(true);
    const before = await hits();
    for (let n = 1; n <= 30; n++) expect((await lookUp(stack.gatewayUrl, personId(n), headers)).errors).toBeUndefined();
    for (let n = 1; n <= 30; n++) expect((await lookUp(stack.gatewayUrl, personId(n), headers)).errors).toBeUndefined();
    expect((await hits()) - before).toBeGreaterThanOrEqual(30);
    const holding = (await Promise.all((await cluster.masters()).map((port) => cluster.keysOn(port)))).filter((keys) => keys > 0);
    expect(holding.length).toBeGreaterThanOrEqual(2);
  });

  it('shares a partner’s rate limit and the persisted queries between gateway replicas', async () => {
    const [first, second] = replicas;
    const headers = await freshPartner();
    for (let n = 0; n < BURST; n++) expect((await lookUp(first!.url, personId(1), headers)).errors).toBeUndefined();
    const refused = await lookUp(second!.url, personId(1), headers);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    const sha256Hash = createHash('sha256').update(LOOKUP).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const registered = await fetch(first!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await freshPartner()) },
      body: JSON.stringify({ query: LOOKUP, variables: { id: personId(2) }, extensions }),
    });
    expect(registered.status).toBe(200);
    const byHash = await fetch(second!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await freshPartner()) },
      body: JSON.stringify({ variables: { id: personId(2) }, extensions }),
    });
    expect(await byHash.json()).toEqual({ data: { wantedPerson: { id: personId(2) } } });
  });

  it('fails no request while a master dies, then caches and limits again once its replica took over', async () => {
    const headers = await bearer();
    const requests = [1, 2, 3, 4, 5].map((n) => ({ kind: 'lookup', query: LOOKUP, variables: { id: personId(n) }, headers }));
    const load = steadyLoad(stack.gatewayUrl, requests, 4);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const [victim] = (await cluster.masters()).sort();
    await cluster.kill(victim!);
    await cluster.healthy(30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await load.stop();
    expect(load.samples.length).toBeGreaterThan(20);
    const failed = load.samples.filter((sample) => sample.status !== 200 || sample.body?.errors);
    expect(failed).toEqual([]);
    expect(await cluster.masters()).not.toContain(victim);

    // Caching resumes: a record looked up twice now is a hit the second time.
    expect(await cachingWithin(15_000, headers)).toBe(true);
    // And the replicas' rate limit holds again rather than letting everything through.
    const partner = await freshPartner();
    const statuses: number[] = [];
    for (let n = 0; n <= BURST; n++) statuses.push((await lookUp(replicas[n % 2]!.url, personId(1), partner)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  }, 90_000);
});
