import type { Caller } from '../../../lib/authz/principal.ts';
import { conflict, forbidden, notFound } from '../../../lib/errors/index.ts';
import type { Queryable } from '../db/db.ts';
import type { OwnershipColumns } from '../rows/row-scope.ts';
import { RowScope } from '../rows/row-scope.ts';

/** Which record a write is about, and the version the client last read. */
export interface OwnedRecordTarget {
  /** The record table and its id column: constants of the repository, never client input. */
  table: string;
  idColumn: string;
  id: string;
  /** What the client calls the record in messages, e.g. "wanted-person record". */
  label: string;
  /**
   * The `version` the client read; a different stored version is a conflict. Omitted for a write that
   * changes no content the client read (a release grant), which takes the record as it is.
   */
  expectedVersion?: number | undefined;
}

/**
 * Locks the record a write changes (`for update`, so concurrent writes of it queue) and checks that the
 * caller may change it, in the order that reveals nothing: a record the caller may not see is
 * NOT_FOUND like a missing one; one it sees but does not own is FORBIDDEN; one that changed since the
 * client read it is CONFLICT, with the current version so the client can re-read and retry.
 */
export async function lockOwnedRecord<R extends OwnershipColumns & { version: number }>(
  tx: Queryable,
  caller: Caller,
  target: OwnedRecordTarget,
): Promise<R> {
  const [row] = await tx.query<R>(`select * from ${target.table} where ${target.idColumn} = $1 for update`, [target.id]);
  if (!row || !RowScope.for(caller).admits(row)) throw notFound(`No ${target.label} ${target.id}`);
  if (row.owning_agency !== caller.principal?.agency) {
    throw forbidden(`Only the owning agency ${row.owning_agency} may change ${target.label} ${target.id}`);
  }
  if (target.expectedVersion !== undefined && row.version !== target.expectedVersion) {
    throw conflict(
      `${target.label} ${target.id} changed since version ${target.expectedVersion}: it is now at version ${row.version}; read it again and retry`,
      { currentVersion: row.version },
    );
  }
  return row;
}
