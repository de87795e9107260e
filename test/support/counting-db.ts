import type { Db, Queryable } from '../../subgraphs/kit/db.ts';

/** A database wrapped so a test can tell how many SQL statements a request cost. */
export interface CountingDb {
  /** Use this in place of the wrapped database; it delegates everything, closing included. */
  db: Db;
  /** Statements sent since the start or the last {@link CountingDb.reset}. */
  count(): number;
  reset(): void;
}

/**
 * Counts every statement sent to `inner`: `query` and `exec` calls, inside transactions too. Tests of
 * batching assert that a nested query costs the same number of statements for 5 parents as for 50.
 */
export function countQueries(inner: Db): CountingDb {
  let statements = 0;
  const counting = (target: Queryable): Queryable => ({
    query<T>(sql: string, params?: readonly unknown[]) {
      statements += 1;
      return target.query<T>(sql, params);
    },
    exec(sql: string) {
      statements += 1;
      return target.exec(sql);
    },
  });
  const db: Db = {
    kind: inner.kind,
    ...counting(inner),
    transaction: (fn) => inner.transaction((tx) => fn(counting(tx))),
    close: () => inner.close(),
  };
  return {
    db,
    count: () => statements,
    reset: () => {
      statements = 0;
    },
  };
}
