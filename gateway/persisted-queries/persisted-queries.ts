import type { ApolloServerOptions } from '@apollo/server';
import type { Logger } from '../../lib/observability/logger.ts';
import { openRedis } from '../../lib/redis/index.ts';
import type { GatewayConfig } from '../config.ts';
import { RedisKeyValueCache } from './redis-key-value-cache.ts';

/** Where automatic persisted queries live, and how to let go of it. */
export interface PersistedQueries {
  options: ApolloServerOptions<never>['persistedQueries'];
  close(): Promise<void>;
}

/**
 * Automatic persisted queries in Redis when the gateway has one (REDIS_URL or REDIS_CLUSTER_NODES), shared by every replica (a
 * query registered through one is executable by hash through all); else Apollo's in-memory default.
 */
export function persistedQueries(config: GatewayConfig['redis'], log: Logger): PersistedQueries {
  if (!config) {
    log.info({ persistedQueries: 'in-process' }, 'persisted query store');
    return { options: undefined, close: async () => undefined };
  }
  // Fail fast rather than hold a request while Redis is away: a miss only costs the client a resend.
  const redis = openRedis(config.target, {
    connectTimeout: 200,
    commandTimeout: 200,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
  });
  redis.on('error', () => undefined);
  log.info({ persistedQueries: config.target.clusterNodes ? 'redis cluster' : 'redis' }, 'persisted query store');
  return {
    options: { cache: new RedisKeyValueCache(redis, `${config.prefix}:gateway:`) },
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}
