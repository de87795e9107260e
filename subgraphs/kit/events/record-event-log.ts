import type { Queryable } from '../db/db.ts';
import { BACKGROUND_SQL } from '../db/background-sql.ts';
import { CommitSignal } from './commit-signal.ts';
import type { RecordChange } from './record-change.ts';

/** One record event as the feed serves it (the `data` of an SSE `record` event). */
export interface RecordEvent {
  seq: number;
  entity: string;
  recordId: string;
  change: RecordChange | 'HIT';
  /** ISO 8601 time of the write. */
  at: string;
  owningAgency: string;
  jurisdiction: string;
  category: string | null;
  /** A hit's who and why (hit-events.ts); absent from record events. */
  detail?: Record<string, unknown>;
}

/** A page of the outbox after a position, with how far retention has deleted (0: never). */
export interface EventPage {
  events: RecordEvent[];
  prunedThrough: number;
}

interface EventRow {
  pruned_through: unknown;
  seq: unknown;
  entity: string;
  record_id: string;
  change: RecordChange | 'HIT';
  occurred_at: Date | string;
  owning_agency: string;
  jurisdiction: string;
  category: string | null;
  detail: Record<string, unknown> | string | null;
}

/** Reads and prunes the record-event outbox; both drivers hand bigints back differently, so seqs go through Number. */
export class RecordEventLog {
  /** Fired at each commit of record events, by this replica or another. */
  readonly committed = new CommitSignal();

  constructor(private readonly db: Queryable) {}

  /** The last event committed (0 for none): a reader that gives no position starts after it, with new events only. */
  async latest(): Promise<number> {
    const [row] = await this.db.query<{ seq: unknown }>(`${BACKGROUND_SQL} select coalesce(max(seq), 0) as seq from record_event`);
    return Number(row?.seq ?? 0);
  }

  /**
   * Up to `limit` committed events after `after`, in seq order. One statement, so the retention mark
   * and the events come from one snapshot: events deleted past the reader's position always show in
   * the mark, never as a silent gap.
   */
  async after(after: number, limit: number): Promise<EventPage> {
    const rows = await this.db.query<EventRow>(
      `${BACKGROUND_SQL} select p.pruned_through, e.* from (select coalesce(max(through_seq), 0) as pruned_through from record_event_pruned) p
       left join lateral (select * from record_event where seq > $1 order by seq limit $2) e on true
       order by e.seq`,
      [after, limit],
    );
    return {
      prunedThrough: Number(rows[0]?.pruned_through ?? 0),
      events: rows.filter((row) => row.seq !== null).map(toEvent),
    };
  }

  /**
   * Deletes up to `limit` of the oldest events written more than `retentionHours` ago, and moves the
   * retention mark to the highest seq deleted, in one statement. Returns how many it deleted.
   */
  async prune(retentionHours: number, limit: number): Promise<number> {
    const [row] = await this.db.query<{ deleted: number }>(
      `${BACKGROUND_SQL} with doomed as (
         select seq from record_event where occurred_at < now() - make_interval(secs => $1::double precision)
         order by occurred_at limit $2
       ), gone as (
         delete from record_event e using doomed where e.seq = doomed.seq returning e.seq
       ), marked as (
         insert into record_event_pruned (through_seq) select max(seq) from gone having count(*) > 0
         on conflict (singleton) do update set through_seq = greatest(record_event_pruned.through_seq, excluded.through_seq)
       )
       select count(*)::int as deleted from gone`,
      [retentionHours * 3600, limit],
    );
    return row?.deleted ?? 0;
  }
}

function toEvent(row: EventRow): RecordEvent {
  return {
    seq: Number(row.seq),
    entity: row.entity,
    recordId: row.record_id,
    change: row.change,
    at: new Date(row.occurred_at).toISOString(),
    owningAgency: row.owning_agency,
    jurisdiction: row.jurisdiction,
    category: row.category,
    ...(row.detail === null ? {} : { detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail }),
  };
}
