import type { Logger } from '../../../lib/observability/logger.ts';
import type { Db, Queryable } from '../db/db.ts';
import { underStartupLock } from '../db/startup-lock.ts';
import type { SeedSize } from './seed-plan.ts';

/** A subgraph's seed, as its definition gives it. */
export type Seed = (db: Db, size: Exclude<SeedSize, 'none'>) => Promise<void>;

/**
 * Seeds demo data into an empty database, once. The check ("seeded yet?") and the act (the seed and
 * its `seed_state` row) are one transaction holding the start-up lock, so of two replicas starting
 * together on one database the second waits, then finds the first one's seed and leaves it; and a
 * replica that dies mid-seed leaves nothing behind that the next start would seed on top of.
 */
export async function seedIfEmpty(db: Db, seed: Seed, size: Exclude<SeedSize, 'none'>, log: Logger): Promise<void> {
  const started = Date.now();
  const seeded = await underStartupLock(db, async (tx) => {
    await tx.exec('create table if not exists seed_state (size text not null, seeded_at timestamptz not null default now())');
    if ((await tx.query('select 1 from seed_state limit 1')).length > 0) return false;
    await seed(joined(db, tx), size);
    await tx.query('insert into seed_state (size) values ($1)', [size]);
    return true;
  });
  if (!seeded) return;
  // Fresh statistics, or the planner misjudges the just-loaded tables until autovacuum gets to them.
  await db.exec('analyze');
  log.info({ size, ms: Date.now() - started }, 'seeded demo data');
}

/** `tx` as a database whose transactions join it: a seed's own transaction becomes part of this one. */
const joined = (db: Db, tx: Queryable): Db => ({
  kind: db.kind,
  query: (sql, params) => tx.query(sql, params),
  exec: (sql) => tx.exec(sql),
  transaction: (fn) => fn(tx),
  listen: (channel, onNotify) => db.listen(channel, onNotify),
  close: () => Promise.reject(new Error('a seed does not close the database')),
});
