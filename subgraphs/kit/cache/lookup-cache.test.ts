import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/observability/logger.ts';
import { deleteKeys, uniquePrefix } from '../../../test/support/redis-keys.ts';
import { testConfig } from '../../../test/support/test-config.ts';
import type { LookupCache } from './lookup-cache.ts';
import { openLookupCache } from './open-cache.ts';

const PREFIX = uniquePrefix();
afterAll(() => deleteKeys(PREFIX));

interface Row {
  id: string;
  at: Date;
  tags: string[];
}

/** A fetch that counts its calls and answers only the ids it knows. */
function source(known: Record<string, Row>) {
  const calls: string[][] = [];
  return {
    calls,
    fetch: async (misses: string[]) => {
      calls.push(misses);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return misses.flatMap((id) => (known[id] ? [structuredClone(known[id])] : []));
    },
  };
}

const ROWS: Record<string, Row> = {
  A: { id: 'A', at: new Date('2024-05-01T10:00:00.000Z'), tags: ['x'] },
  B: { id: 'B', at: new Date('2024-06-01T10:00:00.000Z'), tags: [] },
};

describe.each(['redis', 'in-process'] as const)('LookupCache on %s', (kind) => {
  let cache: LookupCache;
  const open = async (version = '1') =>
    openLookupCache(
      'unit',
      version,
      { redisUrl: kind === 'redis' ? testConfig.TEST_REDIS_URL : undefined, prefix: `${PREFIX}:${kind}` },
      createLogger('test', 'silent'),
    );
  afterAll(() => cache?.close());

  it('fetches misses once, then serves found and missing keys from the cache, Dates intact', async () => {
    cache = await open();
    expect(cache.description).toBe(kind === 'redis' ? 'redis (REDIS_URL)' : 'in-process');
    const db = source(ROWS);
    const first = await cache.load('Row', ['A', 'B', 'Z'], db.fetch, (row) => row.id);
    const again = await cache.load('Row', ['A', 'B', 'Z'], db.fetch, (row) => row.id);
    expect(db.calls).toEqual([['A', 'B', 'Z']]);
    expect(again.sort((a, b) => a.id.localeCompare(b.id))).toEqual(first.sort((a, b) => a.id.localeCompare(b.id)));
    expect(again.find((row) => row.id === 'A')!.at).toBeInstanceOf(Date);
    expect(again.find((row) => row.id === 'A')).toEqual(ROWS.A);
    expect(await cache.metrics.exposition()).toContain('liaison_cache_hits_total{subgraph="unit",entity="Row"} 3');
  });

  it('costs one fetch for concurrent misses on the same key from separate callers', async () => {
    const db = source(ROWS);
    const loads = await Promise.all(Array.from({ length: 10 }, () => cache.load('Concurrent', ['A'], db.fetch, (row) => row.id)));
    expect(db.calls).toEqual([['A']]);
    expect(loads.every((rows) => rows[0]?.id === 'A')).toBe(true);
  });

  it('drops invalidated keys, so the next load fetches again', async () => {
    const db = source(ROWS);
    await cache.load('Invalidated', ['A', 'B'], db.fetch, (row) => row.id);
    await cache.invalidate('Invalidated', ['A']);
    await cache.load('Invalidated', ['A', 'B'], db.fetch, (row) => row.id);
    expect(db.calls).toEqual([['A', 'B'], ['A']]);
  });

  it('moves every key with the data version, so a migration never serves an old shape', async () => {
    const other = await open('2');
    const db = source(ROWS);
    await other.load('Row', ['A'], db.fetch, (row) => row.id);
    expect(db.calls).toEqual([['A']]);
    expect(other.keyOf('Row', 'A')).toMatch(new RegExp(`^${PREFIX}:${kind}:unit:Row:v2:ephemeral-[0-9a-f]{8}:[A-Za-z0-9_-]{22}$`));
    await other.close();
  });
});
