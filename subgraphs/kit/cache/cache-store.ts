/** One value to store, with its time to live. */
export interface CacheEntry {
  key: string;
  value: string;
  ttlSeconds: number;
}

/**
 * Where the lookup cache keeps its encoded values: Redis, process memory, or nowhere. A store never
 * throws: when it cannot answer it answers as if empty, because the database can always serve
 * (Redis down means slower, never failed).
 */
export interface CacheStore {
  /** What serves, for the start-up log: `redis (REDIS_URL)`, `in-process`, `off`. */
  readonly description: string;
  /** Values in key order; null for an absent key, and for every key when the store cannot answer. */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  setMany(entries: readonly CacheEntry[]): Promise<void>;
  /** Deletes the keys (from Redis: for every replica, which all read the same keys). */
  invalidate(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** A store that keeps nothing: every lookup goes to the database (programmatic builds, benchmarks). */
export class NullStore implements CacheStore {
  readonly description = 'off';
  getMany(keys: readonly string[]): Promise<(string | null)[]> {
    return Promise.resolve(keys.map(() => null));
  }
  setMany(): Promise<void> {
    return Promise.resolve();
  }
  invalidate(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
