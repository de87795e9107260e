import { readFileSync } from 'node:fs';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../config/env.ts';
import type { RedisTarget } from './redis-env.ts';

/** A connection to a single Redis or to a cluster: the commands Liaison sends work on both. */
export type RedisClient = Redis | Cluster;

/**
 * Connects to `target` with `options` (timeouts, queueing, retries), on every cluster node alike.
 * Keys a command or script takes together must share a hash tag (`{…}`) to work on a cluster.
 */
export function openRedis(target: RedisTarget, options: RedisOptions): RedisClient {
  const common: RedisOptions = { ...options, ...redisTlsOptions(target) };
  if (!target.clusterNodes) return new Redis(target.url ?? 'redis://127.0.0.1:6379', common);
  return new Cluster(target.clusterNodes, {
    redisOptions: { ...common, username: target.username, password: target.password },
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    enableAutoPipelining: true,
    // A failover takes the cluster's node timeout; commands meanwhile fail fast (callers bypass Redis).
    retryDelayOnFailover: 100,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
}

/**
 * TLS with a private CA: the certificate is verified against it (never `rejectUnauthorized: false`).
 * A `rediss://` URL without a CA file verifies against the system's CAs, which ioredis does by itself.
 */
export function redisTlsOptions(target: RedisTarget): Pick<RedisOptions, 'tls'> {
  if (!target.caFile) return {};
  if (!target.clusterNodes && !target.url?.startsWith('rediss://'))
    throw new ConfigError('Invalid configuration:\n  REDIS_CA_FILE: needs a rediss:// REDIS_URL (or REDIS_CLUSTER_NODES)');
  try {
    return { tls: { ca: readFileSync(target.caFile) } };
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  REDIS_CA_FILE: cannot read ${target.caFile} (${(error as Error).message})`);
  }
}
