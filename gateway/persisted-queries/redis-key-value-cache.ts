import { clientSpan } from '../../lib/observability/tracing.ts';
import type { RedisClient } from '../../lib/redis/index.ts';

const REDIS = { 'db.system.name': 'redis' };

/**
 * Apollo's KeyValueCache over Redis, so every gateway replica shares one store of automatic
 * persisted queries. Errors are misses: a Redis outage makes clients send the full query again
 * (Apollo answers PERSISTED_QUERY_NOT_FOUND), never fail a request.
 */
export class RedisKeyValueCache {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      return (await clientSpan('GET redis', REDIS, () => this.redis.get(this.prefix + key))) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    try {
      const ttl = options?.ttl;
      await clientSpan('SET redis', REDIS, () =>
        ttl ? this.redis.set(this.prefix + key, value, 'EX', ttl) : this.redis.set(this.prefix + key, value),
      );
    } catch {
      // A query not stored is stored again the next time a client registers it.
    }
  }

  async delete(key: string): Promise<boolean | void> {
    await this.redis.del(this.prefix + key).catch(() => undefined);
  }
}
