import type { Db, Queryable } from '../../subgraphs/kit/db/db.ts';
import { AUDIT_SQL as AUDIT_TAG, BACKGROUND_SQL } from '../../subgraphs/kit/db/background-sql.ts';

/** A database wrapped so a test can tell how many SQL statements a request cost. */
export interface CountingDb {
  /** Use this in place of the wrapped database; it delegates everything, closing included. */
  db: Db;
  /** Statements that read or write records, sent since the start or the last {@link CountingDb.reset}. */
  count(): number;
  /** Statements that appended to the audit trail, counted apart: a constant few per response. */
  auditCount(): number;
  /** Statements run on the subgraph's own clock (BACKGROUND_SQL: feeds, relay, retention), counted apart. */
  backgroundCount(): number;
  reset(): void;
}

/** The audit writer's statements name its own tables, or carry its tag (the hits it publishes). */
const AUDIT_SQL = /\baudit_(entry|chain_head)\b/;

/**
 * Counts every statement sent to `inner`: `query` and `exec` calls, inside transactions too. Tests of
 * batching assert that a nested query costs the same number of statements for 5 parents as for 50.
 */
export function countQueries(inner: Db): CountingDb {
  let statements = 0;
  let auditStatements = 0;
  let backgroundStatements = 0;
  const tally = (sql: string) => {
    // The relay's polls, the feeds' reads and retention run on their own clock: no request's cost.
    if (sql.startsWith(BACKGROUND_SQL)) backgroundStatements += 1;
    else if (AUDIT_SQL.test(sql) || sql.startsWith(AUDIT_TAG)) auditStatements += 1;
    else statements += 1;
  };
  const counting = (target: Queryable): Queryable => ({
    query<T>(sql: string, params?: readonly unknown[]) {
      tally(sql);
      return target.query<T>(sql, params);
    },
    exec(sql: string) {
      tally(sql);
      return target.exec(sql);
    },
  });
  const db: Db = {
    kind: inner.kind,
    ...counting(inner),
    transaction: (fn) => inner.transaction((tx) => fn(counting(tx))),
    listen: (channel, onNotify) => inner.listen(channel, onNotify),
    ...(inner.poolStats && { poolStats: () => inner.poolStats!() }),
    close: () => inner.close(),
  };
  return {
    db,
    count: () => statements,
    auditCount: () => auditStatements,
    backgroundCount: () => backgroundStatements,
    reset: () => {
      statements = 0;
      auditStatements = 0;
      backgroundStatements = 0;
    },
  };
}
