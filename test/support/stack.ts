import { createLogger, type Logger } from '../../lib/observability/logger.ts';
import { identityKeys, registerSubgraphUrl, relayIdentityKeys } from './identity.ts';
import { readSupergraphConfig } from '../../lib/config/supergraph-config.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { buildGateway, type BuiltGateway } from '../../gateway/server.ts';
import type { SubscriptionEngine } from '../../gateway/subscriptions/transports/index.ts';
import type { BuiltSubgraph, SubgraphServerOptions } from '../../subgraphs/kit/index.ts';
import type { Db } from '../../subgraphs/kit/db/db.ts';
import { ownershipNotifierFor } from '../../subgraphs/kit/links/ownership-notifier.ts';
import { countQueries } from './counting-db.ts';
import { deleteKeys, uniquePrefix } from './redis-keys.ts';
import { testConfig } from './test-config.ts';
import { type Engine, openTestDb } from './databases.ts';

/** Every subgraph in schema/supergraph.yaml and the gateway, listening on free ports in this process. */
export interface Stack {
  gatewayUrl: string;
  /** Origin of the gateway's operational listener (`/metrics`, `/ready`, `/health`). */
  gatewayOperationsUrl: string;
  subgraphUrls: Record<string, string>;
  subgraphs: Record<string, BuiltSubgraph>;
  gateway: BuiltGateway;
  /** Each subgraph's database (counted), for tests that change rows behind the cache. */
  databases: Record<string, Db>;
  /** The Redis key prefix of this stack, when it uses Redis. */
  cachePrefix: string | undefined;
  /** SQL statements each subgraph ran since the last {@link Stack.resetQueryCounts}. */
  queryCounts(): Record<string, number>;
  /** Statements each subgraph spent appending to its audit trail since the last reset. */
  auditCounts(): Record<string, number>;
  resetQueryCounts(): void;
  close(): Promise<void>;
}

/** Variations of the stack for one test file. */
export interface StackOptions {
  /** Extra gateway environment, e.g. AUTH_JWKS_URL or AUTHZ_REJECT_UNAUTHORIZED. */
  gatewayEnv?: Record<string, string>;
  /** The gateway's logger, to assert what operators see. */
  gatewayLog?: Logger;
  /**
   * Real Redis (TEST_REDIS_URL) for the subgraphs' lookup caches and the gateway's persisted queries,
   * under a unique key prefix deleted on close. `url` reroutes the subgraphs (e.g. through a proxy);
   * `retryAfterMs` shortens the breaker; `timeoutMs` lengthens Redis's command timeout; `clusterNodes` (REDIS_CLUSTER_NODES) puts the subgraphs and the
   * gateway on a Redis Cluster instead (the test's own: its keys are not deleted). Without it nothing is cached.
   */
  redis?: boolean | { url?: string; clusterNodes?: string; retryAfterMs?: number; timeoutMs?: number };
  /**
   * Programmatic subgraph options, e.g. a feature list without disclosure auditing for a benchmark baseline,
   * or TLS: a certificate every subgraph serves HTTPS with, and the dispatcher their calls to each other verify with.
   */
  subgraphOptions?: Pick<SubgraphServerOptions, 'features' | 'tls' | 'subgraphDispatcher'>;
  /** A stand-in subscription engine, to test the WebSocket and SSE transports on their own. */
  subscriptionEngine?: SubscriptionEngine;
}

/**
 * Starts the whole federation for a test: each subgraph on its own fresh database (the real PostgreSQL
 * server by default), seeded with demo data, then the gateway routed to them. Close it in afterAll.
 */
export async function startStack(engine: Engine = 'postgres', options: StackOptions = {}): Promise<Stack> {
  const log = createLogger('test', 'silent');
  const entries = readSupergraphConfig();
  const redis = options.redis ? { prefix: uniquePrefix(), ...(options.redis === true ? {} : options.redis) } : undefined;
  const cluster = redis?.clusterNodes;
  const cache = redis && {
    ...(cluster ? { clusterNodes: clusterNodesOf(cluster) } : { redisUrl: redis.url ?? testConfig.TEST_REDIS_URL }),
    prefix: redis.prefix,
    retryAfterMs: redis.retryAfterMs,
    timeoutMs: redis.timeoutMs,
  };
  // Subgraphs call each other directly (link snapshots): each learns the others' URLs once they listen.
  const urls: Record<string, string> = {};
  const subgraphUrl = (name: string): string | undefined => urls[name];
  const started = await Promise.all(
    entries.map(async (entry) => {
      const { db, release } = await openTestDb(engine, entry.name);
      const counted = countQueries(db);
      const { buildServer } = (await import(`../../subgraphs/${entry.name}/server.ts`)) as {
        buildServer: (options: SubgraphServerOptions) => Promise<BuiltSubgraph>;
      };
      const notifier = ownershipNotifierFor(entry.name, entries, subgraphUrl, log, {
        dispatcher: options.subgraphOptions?.subgraphDispatcher,
      });
      const server = await buildServer({
        db: counted.db,
        log,
        seed: 'demo',
        identityKeys: await identityKeys(),
        relayIdentityKeys: await relayIdentityKeys(),
        cache,
        notifier,
        subgraphUrl,
        ...options.subgraphOptions,
      });
      const url = await server.listen(0, '127.0.0.1');
      registerSubgraphUrl(url, server.name);
      urls[entry.name] = url;
      return { entry, server, url, counted, release };
    }),
  );
  const subgraphUrls = Object.fromEntries(started.map(({ entry, url }) => [entry.name, url]));
  const overrides = Object.fromEntries(started.map(({ entry, url }) => [`${entry.envPrefix}_URL`, url]));
  const gateway = await buildGateway(
    loadGatewayConfig({
      ...overrides,
      LOG_LEVEL: 'silent',
      ...(redis && {
        ...(cluster ? { REDIS_CLUSTER_NODES: cluster } : { REDIS_URL: testConfig.TEST_REDIS_URL }),
        CACHE_KEY_PREFIX: redis.prefix,
      }),
      ...options.gatewayEnv,
    }),
    options.gatewayLog ?? log,
    undefined,
    { subscriptionEngine: options.subscriptionEngine },
  );
  const gatewayUrl = await gateway.listen(0, '127.0.0.1');
  const gatewayOperationsUrl = await gateway.operations.listen(0, '127.0.0.1');
  return {
    gatewayUrl,
    gatewayOperationsUrl,
    subgraphUrls,
    gateway,
    databases: Object.fromEntries(started.map(({ entry, counted }) => [entry.name, counted.db])),
    cachePrefix: redis?.prefix,
    subgraphs: Object.fromEntries(started.map(({ entry, server }) => [entry.name, server])),
    queryCounts: () => Object.fromEntries(started.map(({ entry, counted }) => [entry.name, counted.count()])),
    auditCounts: () => Object.fromEntries(started.map(({ entry, counted }) => [entry.name, counted.auditCount()])),
    resetQueryCounts: () => started.forEach(({ counted }) => counted.reset()),
    async close() {
      await gateway.close();
      await Promise.all(
        started.map(async ({ server, release }) => {
          await server.close().catch(() => undefined);
          await release();
        }),
      );
      if (redis && !cluster) await deleteKeys(redis.prefix);
    },
  };
}

const clusterNodesOf = (nodes: string) =>
  nodes.split(',').map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) }));
