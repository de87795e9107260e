import type { Db, Queryable } from './db.ts';

/** The advisory lock key a starting replica holds while it changes the schema or seeds (any fixed number). */
const STARTUP_LOCK = 727274;

/**
 * Runs `fn` in one transaction holding the start-up lock, so replicas starting together against one
 * PostgreSQL database take turns: the second sees what the first did, instead of racing it (two
 * `create table if not exists` at once can fail on the catalog's unique index; two seeds check
 * "empty" before either writes). The lock is taken first, before anything is read or created, and
 * is released with the transaction, also when a replica dies. PGlite is one process's embedded
 * database: nobody else can open it, the lock is granted at once and changes nothing there.
 */
export function underStartupLock<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [STARTUP_LOCK]);
    return fn(tx);
  });
}
