import type { Queryable } from '../kit/index.ts';
import type { LinkedKind } from './linked-kinds.ts';
import type { OwnershipSnapshot } from '../kit/index.ts';

/**
 * Writes the ownership snapshots case links keep of the records they point at. Not a repository:
 * it reads nothing for the caller, and writes only what the records' owner just stated.
 */
export class LinkSnapshotStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Overwrites the snapshot of every link to each of the given records with its owner's current
   * statement, in one statement (so one transaction). Answers how many links it updated.
   */
  async refresh(kind: LinkedKind, snapshots: ReadonlyMap<string, OwnershipSnapshot>): Promise<number> {
    if (snapshots.size === 0) return 0;
    const rows = [...snapshots].map(([id, snapshot]) => ({ id, ...snapshot }));
    const updated = await this.db.query(
      `update ${kind.table} l set owning_agency = s.owning_agency, jurisdiction = s.jurisdiction, release_mode = s.release_mode,
         release_jurisdictions = s.release_jurisdictions, release_agencies = s.release_agencies
       from jsonb_to_recordset($1::jsonb) as s(id text, owning_agency text, jurisdiction text, release_mode text, release_jurisdictions text[], release_agencies text[])
       where l.${kind.column} = s.id returning 1`,
      [JSON.stringify(rows)],
    );
    return updated.length;
  }
}
