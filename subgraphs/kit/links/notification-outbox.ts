import { BACKGROUND_SQL } from '../db/background-sql.ts';
import type { Caller } from '../../../lib/authz/principal.ts';
import type { Queryable } from '../db/db.ts';

/** One outbox row as a relay claimed it: `seq` as text, since PostgreSQL's bigint exceeds a JS number's range. */
export interface ClaimedNotification {
  seq: string;
  keeper: string;
  entity: string;
  record_id: string;
  /** The writer, as {@link storedCaller} kept it. */
  caller: StoredCaller;
  attempts: number;
}

/** A {@link Caller} as JSON: the principal's scopes as a list. */
export interface StoredCaller {
  principal: { subject: string; agency: string; scopes: string[]; jurisdictions: string[] } | null;
  purpose: Caller['purpose'];
}

export const storedCaller = ({ principal, purpose }: Caller): StoredCaller => ({
  principal: principal && { ...principal, scopes: [...principal.scopes].sort(), jurisdictions: [...principal.jurisdictions] },
  purpose,
});

export const callerOf = ({ principal, purpose }: StoredCaller): Caller => ({
  principal: principal && { ...principal, scopes: new Set(principal.scopes) },
  purpose,
});

/**
 * Orders claims across replicas (two-key space, beside the record-event outbox's [727274, 6]). Held for one
 * short statement, it lets each claim see the leases the previous one committed, so two replicas never
 * deliver one record at once; `skip locked` then only keeps a claim from waiting on rows another replica is
 * acknowledging or rescheduling.
 */
const CLAIM_LOCK = [727274, 7] as const;

/** Inserts one notification per keeper and record in `tx`, the write's own transaction; answers their seqs. */
export async function enqueueNotifications(
  tx: Queryable,
  keepers: readonly string[],
  records: readonly { entity: string; id: string }[],
  caller: Caller,
): Promise<string[]> {
  if (keepers.length === 0 || records.length === 0) return [];
  const rows = await tx.query<{ seq: string }>(
    `insert into ownership_notification (keeper, entity, record_id, caller)
     select k.keeper, r.entity, r.record_id, $4::jsonb
     from unnest($1::text[]) as k(keeper) cross join unnest($2::text[], $3::text[]) as r(entity, record_id)
     returning seq::text as seq`,
    [keepers, records.map((r) => r.entity), records.map((r) => r.id), JSON.stringify(storedCaller(caller))],
  );
  return rows.map((row) => row.seq);
}

/** The relay's own statements (not a write's row insert, which is the request's). */
const RELAY_SQL = BACKGROUND_SQL;

/**
 * Leases every pending row of up to `limit` records that are due (or, with `seqs`, that hold one of those
 * rows) and that no relay is delivering now, for `leaseMs`: long enough for one delivery, short enough that
 * a replica that died mid-delivery only delays the record.
 */
export async function claimNotifications(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  limit: number,
  leaseMs: number,
  seqs?: readonly string[],
): Promise<ClaimedNotification[]> {
  return db.transaction(async (tx) => {
    await tx.query(`${RELAY_SQL} select pg_advisory_xact_lock($1, $2)`, CLAIM_LOCK);
    return tx.query<ClaimedNotification>(
      `${RELAY_SQL} with records as (
         select distinct n.keeper, n.entity, n.record_id from ownership_notification n
         where ($3::bigint[] is null and n.next_attempt_at <= now() or n.seq = any($3::bigint[]))
           and not exists (select 1 from ownership_notification l where l.keeper = n.keeper and l.entity = n.entity
             and l.record_id = n.record_id and l.leased_until > now())
         limit $1),
       rows as (
         select o.seq from ownership_notification o join records r using (keeper, entity, record_id)
         for update of o skip locked)
       update ownership_notification o set leased_until = now() + $2 * interval '1 millisecond'
       from rows where o.seq = rows.seq
       returning o.seq::text as seq, o.keeper, o.entity, o.record_id, o.caller, o.attempts`,
      [limit, leaseMs, seqs ?? null],
    );
  });
}

/** The keeper took these records: their rows up to the seq it was told about go (later writes stay pending). */
export async function acknowledgeNotifications(
  db: Queryable,
  keeper: string,
  entity: string,
  through: ReadonlyMap<string, string>,
): Promise<void> {
  await db.query(
    `${RELAY_SQL} delete from ownership_notification o using unnest($3::text[], $4::bigint[]) as d(record_id, through)
     where o.keeper = $1 and o.entity = $2 and o.record_id = d.record_id and o.seq <= d.through`,
    [keeper, entity, [...through.keys()], [...through.values()]],
  );
}

/** Not delivered: the rows wait `delayMs` (their lease ends), with why, for operators reading the table. */
export async function rescheduleNotifications(
  db: Queryable,
  seqs: readonly string[],
  attempts: number,
  delayMs: number,
  reason: string,
): Promise<void> {
  await db.query(
    `${RELAY_SQL} update ownership_notification set attempts = $2, next_attempt_at = now() + $3 * interval '1 millisecond',
       leased_until = null, last_error = $4 where seq = any($1::bigint[])`,
    [seqs, attempts, delayMs, reason.slice(0, 500)],
  );
}

/** How many notifications wait for their keeper, for the metrics. */
export async function pendingNotifications(db: Queryable): Promise<number> {
  const [row] = await db.query<{ pending: number }>(`${RELAY_SQL} select count(*)::int as pending from ownership_notification`);
  return row?.pending ?? 0;
}
