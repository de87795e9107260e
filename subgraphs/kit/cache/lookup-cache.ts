import { decodeRow, encodeRow, MISSING } from './cache-codec.ts';
import { CacheMetrics } from './cache-metrics.ts';
import { CacheSealer } from './cache-sealer.ts';
import { type CacheStore, NullStore } from './cache-store.ts';

/** How one subgraph names and keeps its cached lookups. */
export interface LookupCacheSettings {
  subgraph: string;
  /** First segment of every key, so deployments (and test files) sharing a Redis never collide. */
  prefix: string;
  /** Data shape version: a migration or a row-shape change moves every key, so no stale shape is served. */
  version: string;
  /**
   * TTL of every entry, found or "not found" alike: a hidden record is a cached row, so a missing one
   * must stay cached as long, or it would answer slower once its marker expired and give itself away.
   * Writes invalidate both at once, so a long-lived "not found" never hides a new record.
   */
  ttlSeconds: number;
  /** Per-entity TTL overrides, e.g. `{ "WantedPerson": 600 }`. */
  ttls: Record<string, number>;
}

/**
 * The per-process lookup cache of one subgraph, in front of its database. It caches stored rows
 * WITH their ownership columns, fetched WITHOUT any caller's row rules: the repository applies
 * {@link RowScope.admits} after reading, so one partner's lookup never leaks to another and a hidden
 * record still looks exactly like a missing one.
 *
 * Keys: `<prefix>:<subgraph>:<entity>:v<version>:<kid>:<HMAC of the lookup key>`; values sealed by
 * {@link CacheSealer}, "not found" too. A value that does not open (tampered, moved to another key)
 * is a miss: the database answers, and the entry is overwritten.
 */
export class LookupCache {
  /** Lookups on their way from Redis or the database, per cache key: concurrent misses share one query. */
  private readonly inFlight = new Map<string, Promise<unknown>>();
  /** A store that keeps nothing is neither read nor sealed for: every lookup goes to the database. */
  private readonly keeps: boolean;

  constructor(
    private readonly store: CacheStore,
    private readonly settings: LookupCacheSettings,
    private readonly sealer: CacheSealer = CacheSealer.ephemeral(),
    readonly metrics: CacheMetrics = new CacheMetrics(settings.subgraph),
  ) {
    this.keeps = !(store instanceof NullStore);
  }

  /** A cache that stores nothing, for code that builds repositories without a server. */
  static uncached(subgraph: string): LookupCache {
    return new LookupCache(new NullStore(), { subgraph, prefix: 'liaison', version: '0', ttlSeconds: 1, ttls: {} });
  }

  /** Which store serves: `redis (REDIS_URL)`, `redis cluster (REDIS_CLUSTER_NODES)`, `in-process` or `off`. */
  get description(): string {
    return this.store.description;
  }

  /** The Redis key of one lookup: readable up to the key id, the lookup key itself only as a keyed hash. */
  keyOf(entity: string, key: string): string {
    const { prefix, subgraph, version } = this.settings;
    return `${prefix}:${subgraph}:${entity}:v${version}:${this.sealer.kid}:${this.sealer.name(subgraph, entity, key)}`;
  }

  /**
   * The stored rows for `keys` (absent ones left out): one read of the store for all keys, one
   * `fetch` for the misses, one write of what the fetch found and did not find. `fetch` must not
   * apply row rules; the caller applies them to what this returns.
   */
  async load<R>(
    entity: string,
    keys: readonly string[],
    fetch: (misses: string[]) => Promise<R[]>,
    keyOfRow: (row: R) => string,
  ): Promise<R[]> {
    const waits: Promise<unknown>[] = [];
    const mine = new Map<string, string>();
    for (const key of new Set(keys)) {
      const cacheKey = this.keyOf(entity, key);
      const pending = this.inFlight.get(cacheKey);
      if (pending) waits.push(pending);
      else mine.set(key, cacheKey);
    }
    if (mine.size > 0) {
      const batch = this.resolve(entity, mine, fetch, keyOfRow);
      for (const [key, cacheKey] of mine) {
        const one = batch.then((found) => found.get(key) ?? null);
        this.inFlight.set(cacheKey, one);
        const forget = () => {
          if (this.inFlight.get(cacheKey) === one) this.inFlight.delete(cacheKey);
        };
        one.then(forget, forget);
        waits.push(one);
      }
    }
    return (await Promise.all(waits)).filter((row) => row !== null) as R[];
  }

  /** Drops the keys of `entity` from the store every replica reads, e.g. after a write. */
  async invalidate(entity: string, keys: readonly string[]): Promise<void> {
    const cacheKeys = keys.map((key) => this.keyOf(entity, key));
    for (const cacheKey of cacheKeys) this.inFlight.delete(cacheKey);
    await this.store.invalidate(cacheKeys);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private async resolve<R>(
    entity: string,
    cacheKeys: Map<string, string>,
    fetch: (misses: string[]) => Promise<R[]>,
    keyOfRow: (row: R) => string,
  ): Promise<Map<string, R | null>> {
    const keys = [...cacheKeys.keys()];
    const cached = this.keeps ? await this.store.getMany([...cacheKeys.values()]) : [];
    const found = new Map<string, R | null>();
    const misses: string[] = [];
    keys.forEach((key, i) => {
      const value = cached[i];
      const text = value === null || value === undefined ? null : this.sealer.open(cacheKeys.get(key)!, value);
      if (text === null) misses.push(key);
      else found.set(key, text === MISSING ? null : decodeRow<R>(text));
    });
    this.metrics.hit(entity, keys.length - misses.length);
    this.metrics.miss(entity, misses.length);
    if (misses.length === 0) return found;
    const rows = new Map((await fetch(misses)).map((row) => [keyOfRow(row), row]));
    if (!this.keeps) {
      for (const key of misses) found.set(key, rows.get(key) ?? null);
      return found;
    }
    const ttlSeconds = this.settings.ttls[entity] ?? this.settings.ttlSeconds;
    const entries = misses.map((key) => {
      const row = rows.get(key);
      found.set(key, row ?? null);
      const cacheKey = cacheKeys.get(key)!;
      return { key: cacheKey, value: this.sealer.seal(cacheKey, row ? encodeRow(row as object) : MISSING), ttlSeconds };
    });
    await this.store.setMany(entries);
    return found;
  }
}
