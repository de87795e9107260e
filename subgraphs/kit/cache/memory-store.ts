import type { CacheEntry, CacheStore } from './cache-store.ts';

/**
 * The embedded default when no Redis is configured: a bounded map in this process, least recently
 * used entries evicted first (a Map iterates in insertion order, and a read re-inserts). Each replica
 * has its own, so invalidation reaches only this one; with several replicas, configure Redis.
 */
export class MemoryStore implements CacheStore {
  readonly description = 'in-process';
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  getMany(keys: readonly string[]): Promise<(string | null)[]> {
    const now = Date.now();
    return Promise.resolve(
      keys.map((key) => {
        const entry = this.entries.get(key);
        if (!entry) return null;
        this.entries.delete(key);
        if (entry.expiresAt <= now) return null;
        this.entries.set(key, entry);
        return entry.value;
      }),
    );
  }

  setMany(entries: readonly CacheEntry[]): Promise<void> {
    for (const { key, value, ttlSeconds } of entries) {
      this.entries.delete(key);
      this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
    }
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return Promise.resolve();
  }

  invalidate(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}
