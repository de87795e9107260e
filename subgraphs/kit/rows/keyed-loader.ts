import DataLoader from 'dataloader';

/**
 * A per-request DataLoader over a "fetch rows for these keys" query: N loads in one tick become one
 * query, and each key gets its row or null. Rows are matched back by `keyOf`, not by position.
 */
export function keyedLoader<R>(fetch: (keys: readonly string[]) => Promise<R[]>, keyOf: (row: R) => string): DataLoader<string, R | null> {
  return new DataLoader(
    async (keys) => {
      const rows = await fetch(keys);
      const byKey = new Map(rows.map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: 1_000 },
  );
}

/**
 * A per-request DataLoader for one-to-many lookups (a case's subjects, a person's cases): one query
 * for all parents, each parent gets its children in query order.
 */
export function groupedLoader<R>(fetch: (keys: readonly string[]) => Promise<R[]>, parentOf: (row: R) => string): DataLoader<string, R[]> {
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, R[]>(keys.map((key) => [key, []]));
      for (const row of await fetch(keys)) groups.get(parentOf(row))?.push(row);
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: 1_000 },
  );
}
