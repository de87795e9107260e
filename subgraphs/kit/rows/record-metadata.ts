/** Ownership columns every record table carries (see the subgraphs' migrations). */
export interface RecordRow {
  owning_agency: string;
  jurisdiction: string;
  release_mode: string;
  release_jurisdictions: string[];
  release_agencies: string[];
  source_system: string;
}

/**
 * Resolvers for the fields every entity exposes: owning agency, jurisdiction, releasability and
 * provenance. Spread into each entity's resolver map so the rows' column names stay in one place.
 */
export function recordMetadataResolvers(subgraph: string) {
  return {
    owningAgency: (row: RecordRow) => row.owning_agency,
    jurisdiction: (row: RecordRow) => row.jurisdiction,
    releasability: (row: RecordRow) => ({
      mode: row.release_mode,
      jurisdictions: row.release_jurisdictions,
      agencies: row.release_agencies,
    }),
    provenance: (row: RecordRow) => ({ owningAgency: row.owning_agency, sourceSubgraph: subgraph, sourceSystem: row.source_system }),
  };
}
