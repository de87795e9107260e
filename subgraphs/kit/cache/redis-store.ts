import { Cluster, type RedisOptions } from 'ioredis';
import { openRedis, type RedisClient, type RedisTarget } from '../../../lib/redis/index.ts';
import { CircuitBreaker } from '../../../lib/resilience/index.ts';
import { clientSpan } from '../../../lib/observability/tracing.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { CacheMetrics } from './cache-metrics.ts';
import type { CacheEntry, CacheStore } from './cache-store.ts';

/** Options of {@link RedisStore.open}: which Redis (one server by `url`, or a cluster by `clusterNodes`), and how. */
export interface RedisStoreOptions extends RedisTarget {
  /** Connect and command timeout: a slow Redis must cost little more than a miss. */
  timeoutMs: number;
  /** How long Redis is bypassed after a failure before one probe tries it again. */
  retryAfterMs: number;
  metrics: CacheMetrics;
  log: Logger;
}

/** Invalidations that failed while Redis was unreachable, replayed when it returns (bounded). */
const MAX_PENDING_DELETES = 10_000;

/**
 * The shared cache of every replica. Short timeouts, no offline queue and no per-command retries make
 * an unreachable Redis fail fast; the breaker then skips it until a probe succeeds, while ioredis
 * reconnects in the background, so caching resumes without a restart.
 */
export class RedisStore implements CacheStore {
  readonly description: string;
  private readonly breaker: CircuitBreaker;
  private readonly pendingDeletes = new Set<string>();

  private constructor(
    private readonly redis: RedisClient,
    private readonly options: RedisStoreOptions,
  ) {
    this.description = redis instanceof Cluster ? 'redis cluster (REDIS_CLUSTER_NODES)' : 'redis (REDIS_URL)';
    // One failure opens it: a cache miss is cheap, a Redis timeout on every lookup is not.
    this.breaker = new CircuitBreaker({
      failureThreshold: 1,
      openMs: options.retryAfterMs,
      onChange: (state, previous) => {
        options.metrics.setBreakerOpen(state !== 'closed');
        if (previous === 'closed') options.log.warn('lookup cache: Redis unreachable, bypassing it');
        if (state === 'closed') {
          options.log.info('lookup cache: Redis is back');
          void this.replayDeletes();
        }
      },
    });
  }

  /** Connects, waiting briefly for Redis so the first requests can use it; an absent Redis is not fatal. */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const common: RedisOptions = {
      connectTimeout: options.timeoutMs,
      commandTimeout: options.timeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    };
    const redis = openRedis(options, common);
    // Failures are handled per command by the breaker; without a listener ioredis prints them (a
    // refused TLS certificate, a wrong password) already while this waits for the first connection.
    redis.on('error', () => undefined);
    await Promise.race([
      new Promise((resolve) => redis.once('ready', resolve)),
      new Promise((resolve) => setTimeout(resolve, 1_000).unref()),
    ]);
    return new RedisStore(redis, options);
  }

  async getMany(keys: readonly string[]): Promise<(string | null)[]> {
    // A cluster spreads keys over nodes, so one MGET would fail across slots; auto-pipelining
    // groups the single GETs per node instead.
    const values = await this.run('GET', (redis) =>
      redis instanceof Cluster ? Promise.all(keys.map((key) => redis.get(key))) : redis.mget(...keys),
    );
    return values ?? keys.map(() => null);
  }

  async setMany(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.run('SET', async (redis) => {
      if (redis instanceof Cluster) {
        await Promise.all(entries.map(({ key, value, ttlSeconds }) => redis.set(key, value, 'EX', ttlSeconds)));
        return;
      }
      const pipeline = redis.pipeline();
      for (const { key, value, ttlSeconds } of entries) pipeline.set(key, value, 'EX', ttlSeconds);
      await exec(pipeline);
    });
  }

  /** Every replica reads these very keys, so deleting them invalidates everywhere: nothing to broadcast. */
  async invalidate(keys: readonly string[]): Promise<void> {
    const done = await this.run('DEL', async (redis) => {
      await Promise.all(keys.map((key) => redis.del(key)));
      return true;
    });
    if (!done) this.remember(keys);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Runs `command` (a `name` span: GET, SET or DEL, the keys never) unless the breaker is open; undefined when Redis was skipped or failed. */
  private async run<T>(name: string, command: (redis: RedisClient) => Promise<T>): Promise<T | undefined> {
    if (!this.breaker.allow()) {
      this.options.metrics.bypass();
      return undefined;
    }
    try {
      const result = await clientSpan(`${name} redis`, { 'db.system.name': 'redis' }, () => command(this.redis));
      this.breaker.success();
      return result;
    } catch {
      this.options.metrics.error();
      this.breaker.failure();
      return undefined;
    }
  }

  private remember(keys: readonly string[]): void {
    for (const key of keys) if (this.pendingDeletes.size < MAX_PENDING_DELETES) this.pendingDeletes.add(key);
  }

  /** A write during the outage must not leave its stale row to be served once Redis returns. */
  private async replayDeletes(): Promise<void> {
    const keys = [...this.pendingDeletes];
    this.pendingDeletes.clear();
    const done = keys.length === 0 || (await this.run('DEL', async (redis) => Promise.all(keys.map((key) => redis.del(key)))));
    if (!done) this.remember(keys);
  }
}

/** Runs a pipeline, failing if any of its commands failed (ioredis reports them per command). */
async function exec(pipeline: ReturnType<RedisClient['pipeline']>): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
}
