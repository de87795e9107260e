import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './db.ts';
import { underStartupLock } from './startup-lock.ts';

/**
 * Applies the `NNN_name.sql` files of `dir` that this database has not seen yet, each in its own
 * transaction, in file-name order. Each holds the start-up lock from its first statement, the
 * creation of the bookkeeping table included, so two replicas never migrate at once (see
 * {@link underStartupLock}). `prefix` keeps one folder's versions apart from another's (the kit's own
 * migrations use `kit/`). Returns the versions applied.
 */
export async function migrate(db: Db, dir: string, prefix = ''): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort();
  await underStartupLock(db, (tx) =>
    tx.exec('create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())'),
  );
  const applied: string[] = [];
  for (const file of files) {
    const version = prefix + file.replace(/\.sql$/, '');
    const done = await underStartupLock(db, async (tx) => {
      const seen = await tx.query('select 1 from schema_migrations where version = $1', [version]);
      if (seen.length > 0) return false;
      await tx.exec(readFileSync(join(dir, file), 'utf8'));
      await tx.query('insert into schema_migrations (version) values ($1)', [version]);
      return true;
    });
    if (done) applied.push(version);
  }
  return applied;
}
