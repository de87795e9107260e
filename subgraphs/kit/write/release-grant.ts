import { z } from 'zod';
import type { Caller } from '../../../lib/authz/principal.ts';
import { AgencyCode } from '../../../lib/domain/index.ts';
import { badUserInput } from '../../../lib/errors/index.ts';
import type { Queryable } from '../db/db.ts';
import { type OwnershipColumns, REFERENCE_ONLY } from '../rows/row-scope.ts';
import { lockOwnedRecord } from './lock-owned-record.ts';

/** The longest one grant lasts: Prüm II's 48 hours to release core data after a confirmed match. */
export const MAX_GRANT_SECONDS = 172_800;

/** A grant mutation's arguments: the record, the agency, and how long (1 s to {@link MAX_GRANT_SECONDS}). */
export const grantArgs = z.object({
  id: z.string().trim().toUpperCase(),
  agency: AgencyCode,
  forSeconds: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_GRANT_SECONDS, `must be at most ${MAX_GRANT_SECONDS} (48 hours)`),
  idempotencyKey: z.string(),
});

/** Which record a grant is of: constants of the repository, never client input, but the id. */
export interface GrantTarget {
  table: string;
  idColumn: string;
  id: string;
  /** What the client calls the record in messages, e.g. "wanted-person record". */
  label: string;
  /** The repository's select list, for the row the write returns. */
  columns: string;
}

/**
 * The owner releases one of its REFERENCE_ONLY records in full to `agency` for `seconds`, in the write's
 * transaction: the agency's earlier grant of the record is replaced, grants that ended are dropped, and
 * the record's version moves (its release changed). Locked and checked as every owner's write is
 * (lockOwnedRecord), at whatever version the record is. A record released otherwise needs
 * no grant (its release decision says who sees it), so it is refused with BAD_USER_INPUT.
 */
export async function grantRelease<R extends OwnershipColumns>(
  tx: Queryable,
  caller: Caller,
  target: GrantTarget,
  agency: string,
  seconds: number,
): Promise<R> {
  const row = await lockOwnedRecord<OwnershipColumns & { version: number }>(tx, caller, target);
  if (row.release_mode !== REFERENCE_ONLY) {
    throw badUserInput(`${target.label} ${target.id} is released ${row.release_mode}, not REFERENCE_ONLY: there is nothing to grant`, 'id');
  }
  if (agency === row.owning_agency) throw badUserInput('agency owns the record: it sees it in full already', 'agency');
  const [updated] = await tx.query<R>(
    `update ${target.table} set release_grants = coalesce((
         select jsonb_agg(grant_of) from jsonb_array_elements(release_grants) as grant_of
         where grant_of->>'agency' <> $2 and (grant_of->>'until')::timestamptz > now()), '[]'::jsonb)
       || jsonb_build_array(jsonb_build_object('agency', $2::text,
            'until', to_char((now() + make_interval(secs => $3::integer)) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))),
       version = version + 1, updated_at = now()
     where ${target.idColumn} = $1 returning ${target.columns}`,
    [target.id, agency, seconds],
  );
  return updated!;
}
