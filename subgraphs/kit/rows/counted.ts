import type { Queryable } from '../db/db.ts';

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
}

/** What a `totalCount` counted: the total a partner sees, and whose records make it up. */
export interface Counted {
  total: number;
  /** Empty when the rows counted are not agencies' records (the audit trail's own entries). */
  owners: readonly OwnerCount[];
}

/** A total of rows that are no agency's records. */
export const uncounted = (total: number): Counted => ({ total, owners: [] });

/** Groups counted records, `{ owner, id }` each, into a {@link Counted} that lists them. */
export function listedCount(records: readonly { owner: string; id: string }[]): Counted {
  const byOwner = new Map<string, string[]>();
  for (const { owner, id } of records) byOwner.set(owner, [...(byOwner.get(owner) ?? []), id]);
  const listed = records.length <= LISTED_COUNT_MAX;
  return {
    total: records.length,
    owners: [...byOwner].map(([owner, ids]) => ({ owner, count: ids.length, ids: listed ? ids : null })),
  };
}

/** Where a count reads: `from` and `where` (with `params`), the record id and owning agency columns. */
export interface CountQuery {
  from: string;
  where: string;
  params: readonly unknown[];
  id: string;
  owner: string;
}

/**
 * Counts the records a filter matches, per owning agency: one query reading at most
 * LISTED_COUNT_MAX + 1 ids, and a second, grouped one only when there are more.
 */
export async function countRecords(db: Queryable, { from, where, params, id, owner }: CountQuery): Promise<Counted> {
  const few = await db.query<{ owner: string; id: string }>(
    `select ${owner} as owner, ${id} as id from ${from} where ${where} limit ${LISTED_COUNT_MAX + 1}`,
    [...params],
  );
  if (few.length <= LISTED_COUNT_MAX) return listedCount(few);
  const rows = await db.query<{ owner: string; n: number }>(
    `select ${owner} as owner, count(*)::int as n from ${from} where ${where} group by 1 order by 1`,
    [...params],
  );
  return { total: rows.reduce((sum, row) => sum + row.n, 0), owners: rows.map((row) => ({ owner: row.owner, count: row.n, ids: null })) };
}
