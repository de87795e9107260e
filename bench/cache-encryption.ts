import { createLogger } from '../lib/observability/logger.ts';
import type { CacheSealer } from '../subgraphs/kit/cache/cache-sealer.ts';
import { CacheMetrics } from '../subgraphs/kit/cache/cache-metrics.ts';
import { LookupCache } from '../subgraphs/kit/cache/lookup-cache.ts';
import { openLookupCache } from '../subgraphs/kit/cache/open-cache.ts';
import { RedisStore } from '../subgraphs/kit/cache/redis-store.ts';
import { openDb } from '../subgraphs/kit/db/db.ts';
import { RowScope } from '../subgraphs/kit/rows/row-scope.ts';
import { DEMO_AGENCIES } from '../subgraphs/kit/seed/seed-agencies.ts';
import { personId, SEED_COUNTS } from '../subgraphs/kit/seed/seed-plan.ts';
import type { BenchSeed } from './fleet.ts';
import { WantedPersonRepository } from '../subgraphs/wanted-persons/wanted-person-repository.ts';
import { deleteKeys } from '../test/support/redis-keys.ts';
import { testConfig } from '../test/support/test-config.ts';
import { drive, type LoadResult, median } from './load.ts';
import type { Row } from './report.ts';

export const CACHE_CRYPTO_BASELINE = 'plain (before: rows in clear, ids in key names)';
const SEALED = 'AES-256-GCM values + HMAC key names (after)';

/**
 * The cache as it was: the lookup key itself in the key name, the row's JSON as the value. Only the
 * benchmark builds it (the kit has no unsealed mode), through the same LookupCache code path.
 */
const PLAIN = {
  kid: 'plain',
  name: (_subgraph: string, _entity: string, key: string) => key,
  seal: (_k: string, text: string) => text,
  open: (_k: string, value: string) => value,
} as unknown as CacheSealer;

/** A partner seeing every seeded jurisdiction, so the rows read are the rows returned. */
const PARTNER = RowScope.for({
  principal: {
    subject: 'bench',
    agency: 'XXBENCH01',
    scopes: new Set(),
    jurisdictions: [...new Set(DEMO_AGENCIES.map((agency) => agency.country))],
  },
  purpose: null,
});

/**
 * What sealing costs the lookup cache: wanted-person lookups of 1 and 20 ids through the repository on
 * Redis, every one a hit (the path sealing slows: one MGET, then an HMAC per key and a decryption per
 * value), with the cache as it was and as it is, in alternating rounds in this process. CPU is this
 * process's own (the client side: ioredis, HMAC, AES-GCM, JSON), per lookup.
 */
export async function cacheEncryptionCost(
  databaseUrl: string,
  persons: number,
  concurrency: number,
  durationSeconds: number,
  warmupSeconds: number,
  rounds: number,
): Promise<Row[]> {
  const log = createLogger('bench', 'silent');
  const prefix = `liaison-bench-seal-${process.pid}`;
  const db = await openDb({ url: databaseUrl });
  const settings = { subgraph: 'wanted-persons', version: '1', ttlSeconds: 3_600, ttls: {} };
  const metrics = new CacheMetrics('wanted-persons');
  const store = await RedisStore.open({ url: testConfig.TEST_REDIS_URL, timeoutMs: 200, retryAfterMs: 5_000, metrics, log });
  const caches: Record<string, LookupCache> = {
    [CACHE_CRYPTO_BASELINE]: new LookupCache(store, { ...settings, prefix: `${prefix}-plain` }, PLAIN, metrics),
    [SEALED]: await openLookupCache(
      'wanted-persons',
      '1',
      { redisUrl: testConfig.TEST_REDIS_URL, prefix: `${prefix}-sealed`, ttlSeconds: 3_600 },
      log,
    ),
  };
  // The hot set of the lookup scenarios: 300 keys spread over the seed, all cached before measuring.
  const keys = Array.from({ length: 300 }, (_, i) => personId(1 + ((i * 7919) % persons)));
  const lookups = { '1 id': 1, '20 ids': 20 };
  const rows: Row[] = [];
  try {
    for (const cache of Object.values(caches)) await new WantedPersonRepository(db, PARTNER, cache).findByIds(keys);
    for (const [size, count] of Object.entries(lookups)) {
      const scenario = `cached lookup of ${size} (repository on Redis, all hits)`;
      const runs: Record<string, (LoadResult & { cpuMs: number })[]> = Object.fromEntries(
        Object.keys(caches).map((variant) => [variant, []]),
      );
      for (let round = 0; round < rounds; round += 1) {
        for (const [variant, cache] of Object.entries(caches)) {
          const task = (i: number) =>
            new WantedPersonRepository(db, PARTNER, cache).findByIds(
              Array.from({ length: count }, (_, k) => keys[(i * 31 + k) % keys.length]!),
            );
          await drive(task, { concurrency, durationSeconds: warmupSeconds });
          const cpu = process.cpuUsage();
          const result = await drive(task, { concurrency, durationSeconds });
          const used = process.cpuUsage(cpu);
          runs[variant]!.push({ ...result, cpuMs: (used.user + used.system) / 1000 / Math.max(1, result.requests) });
        }
      }
      for (const [variant, results] of Object.entries(runs)) {
        const { cpuMs, ...result } = median(results);
        rows.push({ scenario, variant, result, cpuMsPerRequest: cpuMs });
      }
    }
  } finally {
    await Promise.all(Object.values(caches).map((cache) => cache.close()));
    await db.close();
    await Promise.all([deleteKeys(`${prefix}-plain`), deleteKeys(`${prefix}-sealed`)]);
  }
  return rows;
}

/** The seeded person count of a benchmark seed. */
export const personsOf = (seed: BenchSeed): number => SEED_COUNTS[seed].persons;
