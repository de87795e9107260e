import type { Queryable } from '../db/db.ts';
import { REFERENCE_ONLY } from './row-scope.ts';

/**
 * Totals up to this many records are recorded in the owners' trails record by record (the partner could
 * page through them anyway); a larger total is recorded per owner as a count, since listing thousands of
 * ids per request would swamp the trail with what the partner never saw.
 */
export const LISTED_COUNT_MAX = 100;

/** How many of one agency's records a total counted, and which, when few enough to list. */
export interface OwnerCount {
  owner: string;
  count: number;
  /** The ids counted, when the whole total is at most {@link LISTED_COUNT_MAX}; otherwise null. */
  ids: readonly string[] | null;
  /**
   * How many of them their owner releases REFERENCE_ONLY, and which when listed: the audit trail marks
   * their disclosure as a reference's (RequestAudit decides whether it is one for the caller).
   */
  referenceOnly: number;
  referenceIds: readonly string[] | null;
  /** Which of the ids their owner marked notifyOwnerOnHit; absent when the ids are not listed. */
  notifyIds?: readonly string[];
}

/** A counted record: its owner, its id, its release decision (`mode`) and notify flag, when the count read them. */
export interface CountedRecord {
  owner: string;
  id: string;
  mode?: string | undefined;
  notify?: boolean | undefined;
}

/** What a `totalCount` counted: the total a partner sees, and whose records make it up. */
export interface Counted {
  total: number;
  /** Empty when the rows counted are not agencies' records (the audit trail's own entries). */
  owners: readonly OwnerCount[];
}

/** A total of rows that are no agency's records. */
export const uncounted = (total: number): Counted => ({ total, owners: [] });

/** Groups counted records into a {@link Counted} that lists them. */
export function listedCount(records: readonly CountedRecord[]): Counted {
  const byOwner = new Map<string, CountedRecord[]>();
  for (const record of records) byOwner.set(record.owner, [...(byOwner.get(record.owner) ?? []), record]);
  const listed = records.length <= LISTED_COUNT_MAX;
  return {
    total: records.length,
    owners: [...byOwner].map(([owner, own]) => {
      const references = own.filter((record) => record.mode === REFERENCE_ONLY).map((record) => record.id);
      return {
        owner,
        count: own.length,
        ids: listed ? own.map((record) => record.id) : null,
        referenceOnly: references.length,
        referenceIds: listed ? references : null,
        ...(listed ? { notifyIds: own.filter((record) => record.notify === true).map((record) => record.id) } : {}),
      };
    }),
  };
}

/**
 * Where a count reads: `from` and `where` (with `params`), and the record id, owning agency, release
 * mode and notify_owner_on_hit columns, which default to the kit's record columns (a table without the
 * mark gives `notify: null`).
 */
export interface CountQuery {
  from: string;
  where: string;
  params: readonly unknown[];
  id?: string;
  owner?: string;
  mode?: string;
  notify?: string | null;
}

/**
 * Counts the records a filter matches, per owning agency: one query reading at most
 * LISTED_COUNT_MAX + 1 ids, and a second, grouped one only when there are more.
 */
export async function countRecords(db: Queryable, query: CountQuery): Promise<Counted> {
  const { from, where, params, id = 'id', owner = 'owning_agency', mode = 'release_mode', notify = 'notify_owner_on_hit' } = query;
  const few = await db.query<CountedRecord>(
    `select ${owner} as owner, ${id} as id, ${mode} as mode, ${notify ?? 'false'} as notify from ${from} where ${where} limit ${LISTED_COUNT_MAX + 1}`,
    [...params],
  );
  if (few.length <= LISTED_COUNT_MAX) return listedCount(few);
  const rows = await db.query<{ owner: string; n: number; refs: number }>(
    `select ${owner} as owner, count(*)::int as n, (count(*) filter (where ${mode} = '${REFERENCE_ONLY}'))::int as refs
     from ${from} where ${where} group by 1 order by 1`,
    [...params],
  );
  return {
    total: rows.reduce((sum, row) => sum + row.n, 0),
    owners: rows.map((row) => ({ owner: row.owner, count: row.n, ids: null, referenceOnly: row.refs, referenceIds: null })),
  };
}
