import type { ClaimedNotification, StoredCaller } from './notification-outbox.ts';

/** One `refreshLinkSnapshots` call: one keeper, one entity, one writer's rights, every record once. */
export interface Delivery {
  keeper: string;
  entity: string;
  caller: StoredCaller;
  /** Each record's id and the last seq claimed of it: acknowledging deletes its rows up to there. */
  through: Map<string, string>;
  /** Every claimed row the call stands for, to reschedule when it fails. */
  seqs: string[];
  /** Attempts so far: the most of any of its rows, so a collapsed notification keeps its backoff. */
  attempts: number;
}

/**
 * Groups claimed rows into deliveries, collapsing the versions of one record into its latest. The keeper
 * never applies what a notification says, it re-reads the record's current ownership from its owner, so
 * telling it about version n after n+1 adds nothing, and delivering the latest acknowledges the rows
 * before it. Ordering is kept where it matters: a claim leases all rows of a record and no other relay
 * claims the record until the lease passes, so a delivery never overtakes an earlier one in flight (whose
 * older read the keeper could otherwise write last).
 */
export function deliveriesOf(rows: readonly ClaimedNotification[]): Delivery[] {
  const latest = new Map<string, { row: ClaimedNotification; seqs: string[]; attempts: number }>();
  for (const row of rows) {
    const key = JSON.stringify([row.keeper, row.entity, row.record_id]);
    const record = latest.get(key);
    if (!record) latest.set(key, { row, seqs: [row.seq], attempts: row.attempts });
    else {
      if (BigInt(row.seq) > BigInt(record.row.seq)) record.row = row;
      record.seqs.push(row.seq);
      record.attempts = Math.max(record.attempts, row.attempts);
    }
  }
  // The latest writer's rights read the record back: it owns the record (only the owner writes it).
  const deliveries = new Map<string, Delivery>();
  for (const { row, seqs, attempts } of latest.values()) {
    const key = JSON.stringify([row.keeper, row.entity, row.caller]);
    const delivery = deliveries.get(key) ?? {
      keeper: row.keeper,
      entity: row.entity,
      caller: row.caller,
      through: new Map<string, string>(),
      seqs: [],
      attempts: 0,
    };
    delivery.through.set(row.record_id, row.seq);
    delivery.seqs.push(...seqs);
    delivery.attempts = Math.max(delivery.attempts, attempts);
    deliveries.set(key, delivery);
  }
  return [...deliveries.values()];
}
