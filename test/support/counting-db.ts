import type { Db, Queryable } from '../../subgraphs/kit/db/db.ts';
import { RELAY_SQL } from '../../subgraphs/kit/links/notification-outbox.ts';

/** A database wrapped so a test can tell how many SQL statements a request cost. */
export interface CountingDb {
  /** Use this in place of the wrapped database; it delegates everything, closing included. */
  db: Db;
  /** Statements that read or write records, sent since the start or the last {@link CountingDb.reset}. */
  count(): number;
  /** Statements that appended to the audit trail, counted apart: a constant few per response. */
  auditCount(): number;
  reset(): void;
}

/** The audit writer's statements name only its own tables. */
const AUDIT_SQL = /\baudit_(entry|chain_head)\b/;

/**
 * Counts every statement sent to `inner`: `query` and `exec` calls, inside transactions too. Tests of
 * batching assert that a nested query costs the same number of statements for 5 parents as for 50.
 */
export function countQueries(inner: Db): CountingDb {
  let statements = 0;
  let auditStatements = 0;
  const tally = (sql: string) => {
    // The notification relay polls on its own clock: its statements are no request's cost.
    if (sql.startsWith(RELAY_SQL)) return;
    if (AUDIT_SQL.test(sql)) auditStatements += 1;
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
    reset: () => {
      statements = 0;
      auditStatements = 0;
    },
  };
}
