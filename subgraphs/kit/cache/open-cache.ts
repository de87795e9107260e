import type { Registry } from 'prom-client';
import type { Logger } from '../../../lib/observability/logger.ts';
import { type CacheKey, ephemeralCacheKey } from './cache-key.ts';
import { CacheMetrics } from './cache-metrics.ts';
import { CacheSealer } from './cache-sealer.ts';
import { NullStore } from './cache-store.ts';
import { LookupCache } from './lookup-cache.ts';
import { MemoryStore } from './memory-store.ts';
import { RedisStore } from './redis-store.ts';

/** Where and how long a subgraph caches its lookups. */
export interface CacheOptions {
  /** Redis server URL (`rediss://` for TLS, credentials in it); without it (and clusterNodes) an in-process cache serves. */
  redisUrl?: string | undefined;
  /** PEM file of the CA that signed Redis's TLS certificate; with clusterNodes, turns TLS on. */
  caFile?: string | undefined;
  /** What values are sealed and key names hashed with; without it, a key of this process only. */
  key?: CacheKey | undefined;
  /** Redis Cluster seed nodes; used instead of redisUrl when given. */
  clusterNodes?: { host: string; port: number }[] | undefined;
  /** The ACL user and password on every cluster node (a redisUrl carries its own). */
  username?: string | undefined;
  password?: string | undefined;
  /** First segment of every key (default `liaison`). */
  prefix?: string | undefined;
  /** TTL of entries, found records and "not found" alike (default 300 s). */
  ttlSeconds?: number | undefined;
  /** Per-entity TTL overrides in seconds, e.g. `{ WantedPerson: 600 }`, for both too. */
  ttls?: Record<string, number> | undefined;
  /** How long Redis is bypassed after a failure before it is probed again (default 5000 ms). */
  retryAfterMs?: number | undefined;
  /** Redis connect and command timeout (default 200 ms). */
  timeoutMs?: number | undefined;
}

/**
 * Opens a subgraph's lookup cache: Redis when configured, else the in-process store; with no options
 * at all (programmatic builds: tests, benchmarks) nothing is cached.
 */
export async function openLookupCache(
  subgraph: string,
  version: string,
  options: CacheOptions | undefined,
  log: Logger,
  registry?: Registry,
): Promise<LookupCache> {
  const metrics = new CacheMetrics(subgraph, registry);
  const settings = {
    subgraph,
    version,
    prefix: options?.prefix ?? 'liaison',
    ttlSeconds: options?.ttlSeconds ?? 300,
    ttls: options?.ttls ?? {},
  };
  const redis = options?.redisUrl !== undefined || options?.clusterNodes !== undefined;
  const store = !options
    ? new NullStore()
    : redis
      ? await RedisStore.open({
          url: options.redisUrl,
          clusterNodes: options.clusterNodes,
          username: options.username,
          password: options.password,
          caFile: options.caFile,
          timeoutMs: options.timeoutMs ?? 200,
          retryAfterMs: options.retryAfterMs ?? 5_000,
          metrics,
          log,
        })
      : new MemoryStore();
  const sealer = new CacheSealer(options?.key ?? ephemeralCacheKey(), log);
  return new LookupCache(store, settings, sealer, metrics);
}
