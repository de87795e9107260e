import type { Logger } from '../../../lib/observability/logger.ts';
import type { Db } from './db.ts';
import { underStartupLock } from './startup-lock.ts';

/**
 * Run by the owner role after migrations: gives the role the subgraph serves with (`app`'s) what it
 * needs and no more. It reads and writes the agency tables, but may only append to the audit trail:
 * no update, delete or truncate of audit_entry, and of the chain heads only what an append does
 * (insert a chain's first head, move it). The migration and seed bookkeeping stays the owner's, or the
 * app role could mark a migration applied and so skip it. Idempotent: it runs at every start, so
 * tables a new migration created are covered too.
 */
export async function grantAppRole(owner: Db, app: Db, log: Logger): Promise<void> {
  const [ownerRole] = await owner.query<{ name: string }>('select current_user as name');
  const [appRole] = await app.query<{ name: string; quoted: string; superuser: boolean }>(
    'select current_user as name, quote_ident(current_user) as quoted, rolsuper as superuser from pg_roles where rolname = current_user',
  );
  if (!ownerRole || !appRole || ownerRole.name === appRole.name) {
    log.warn({ role: appRole?.name }, 'the subgraph serves as the role that owns its tables: it can rewrite its audit trail');
    return;
  }
  const role = appRole.quoted;
  // Under the start-up lock: two replicas granting on one table at once can fail ("tuple concurrently updated").
  await underStartupLock(owner, async (tx) => {
    await tx.exec(`
      grant select, insert, update, delete on all tables in schema public to ${role};
      grant usage, select on all sequences in schema public to ${role};
      revoke all on schema_migrations from ${role};
      revoke update, delete, truncate on audit_entry from ${role};
      revoke delete, truncate on audit_chain_head from ${role};
    `);
    const seedState = await tx.query<{ present: boolean }>(`select to_regclass('seed_state') is not null as present`);
    if (seedState[0]?.present) await tx.exec(`revoke all on seed_state from ${role}`);
  });
  if (appRole.superuser)
    log.warn({ role: appRole.name }, 'the subgraph serves as a superuser: grants do not bind it, and it can rewrite its audit trail');
  else log.info({ role: appRole.name }, 'application role may only append to the audit trail');
}
