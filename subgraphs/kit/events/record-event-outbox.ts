import type { Queryable } from '../db/db.ts';
import type { RecordEventFacts } from './record-change.ts';

/** One record event as a write hands it over: which record, whose, and what happened to it. */
export interface OutboxRecord extends Omit<RecordEventFacts, 'change'> {
  /** The record's entity, e.g. `WantedPerson`, `PropertyItem`, `Case`; `HitOnOwnRecord` for a hit. */
  entity: string;
  id: string;
  /** The owning agency. */
  owner: string;
  /** What happened to the record; `HIT` for a hit on it (hit-events.ts). */
  change: RecordEventFacts['change'] | 'HIT';
  /** A hit's who and why (hit-events.ts); record events carry none. */
  detail?: Record<string, unknown> | undefined;
}

/**
 * The transaction-scoped advisory lock that orders the outbox, in the two-key space (apart from the
 * start-up lock's single key). Held from the insert to commit, it makes seq order commit order: without
 * it, a write that drew seq 10 could commit after one that drew 11, and a reader already past 11 would
 * never see 10. Writes of one subgraph queue on it only for the few statements left before their commit.
 */
const ORDER_LOCK = [727274, 6] as const;

/** The NOTIFY channel of committed record events. */
export const RECORD_EVENTS_CHANNEL = 'liaison_record_events';

/**
 * Inserts one event per record in `tx`, the write's own transaction: the event commits with the write
 * or not at all. Call it last before commit, so the lock is held briefly. `tag` prefixes the statements
 * (AUDIT_SQL, for the audit writer's).
 */
export async function insertRecordEvents(tx: Queryable, records: readonly OutboxRecord[], tag = ''): Promise<void> {
  if (records.length === 0) return;
  // NOTIFY is sent at commit only (never for a rollback): open feeds on every replica read at once
  // instead of at their next poll.
  await tx.query(`${tag}select pg_advisory_xact_lock($1, $2), pg_notify('${RECORD_EVENTS_CHANNEL}', '')`, ORDER_LOCK);
  const params: unknown[] = [];
  const rows = records.map((record) => {
    const detail = record.detail ? JSON.stringify(record.detail) : null;
    params.push(record.entity, record.id, record.change, record.owner, record.jurisdiction, record.category, detail);
    const at = params.length - 7;
    return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}::jsonb)`;
  });
  await tx.query(
    `${tag}insert into record_event (entity, record_id, change, owning_agency, jurisdiction, category, detail) values ${rows.join(', ')}`,
    params,
  );
}
