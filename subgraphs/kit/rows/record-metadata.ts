import type { Caller } from '../../../lib/authz/principal.ts';
import { type ReleaseGrant, RowScope } from './row-scope.ts';

/** Ownership columns every record table carries (see the subgraphs' migrations). */
export interface RecordRow {
  owning_agency: string;
  jurisdiction: string;
  release_mode: string;
  release_jurisdictions: string[];
  release_agencies: string[];
  /** The owner is told of every disclosure of the record to another agency (a hit event). */
  notify_owner_on_hit: boolean;
  source_system: string;
  release_grants?: ReleaseGrant[] | null | undefined;
}

/**
 * Resolvers for the fields every entity exposes: owning agency, jurisdiction, releasability,
 * whether the caller has it in full or as a reference only, and provenance. Spread into each entity's resolver map so the rows' column names stay in one place.
 */
export function recordMetadataResolvers(subgraph: string) {
  return {
    owningAgency: (row: RecordRow) => row.owning_agency,
    jurisdiction: (row: RecordRow) => row.jurisdiction,
    releasability: (row: RecordRow) => ({
      mode: row.release_mode,
      jurisdictions: row.release_jurisdictions,
      agencies: row.release_agencies,
      notifyOwnerOnHit: row.notify_owner_on_hit,
    }),
    releasedInFull: (row: RecordRow, _: unknown, context: { caller: Caller }) => !RowScope.for(context.caller).referenceOnly(row),
    provenance: (row: RecordRow) => ({ owningAgency: row.owning_agency, sourceSubgraph: subgraph, sourceSystem: row.source_system }),
  };
}
