import { openDb } from '../../subgraphs/kit/db/db.ts';
import { migrate } from '../../subgraphs/kit/db/migrate.ts';
import type { SubgraphDefinition } from '../../subgraphs/kit/index.ts';
import type { Ownership } from './row-oracle.ts';

/** A seeded row as the owner stores it: its key, ownership and the columns the tests filter on. */
export type TruthRow = Ownership & Record<string, any>;

/** Every demo-seeded row and link, read without any row rule: what the tests judge responses against. */
export interface SeededTruth {
  persons: TruthRow[];
  property: TruthRow[];
  cases: TruthRow[];
  /** case_number → person ids, and the reverse. */
  subjectsOf: Map<string, string[]>;
  casesOfPerson: Map<string, string[]>;
  /** case_number → property ids; property id → its latest case. */
  propertyOf: Map<string, string[]>;
  caseOfProperty: Map<string, string>;
  historyLength: Map<string, number>;
}

const OWNERSHIP = 'owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies';

/**
 * Seeds each subgraph's demo data into a throwaway PGlite database with the subgraph's own migrations
 * and seed (deterministic, so identical to what the stack serves) and reads it back unfiltered.
 */
export async function readSeededTruth(): Promise<SeededTruth> {
  const read = async (name: string, sql: string[]) => {
    const { definition } = (await import(`../../subgraphs/${name}/server.ts`)) as {
      definition: Pick<SubgraphDefinition<any>, 'migrationsDir' | 'seed'>;
    };
    const db = await openDb({});
    try {
      await migrate(db, definition.migrationsDir);
      await definition.seed(db, 'demo');
      return await Promise.all(sql.map((statement) => db.query<TruthRow>(statement)));
    } finally {
      await db.close();
    }
  };
  const [[persons], [property], [cases, subjects, links, history]] = await Promise.all([
    read('wanted-persons', [`select id, family_name, search_text, notice_type, status, ${OWNERSHIP} from wanted_person order by id`]),
    read('stolen-property', [
      `select id, kind, vin, plate, plate_norm, document_number, issuing_country, serial_number, serial_norm, ${OWNERSHIP} from property_item order by id`,
    ]),
    read('case-status', [
      `select case_number as id, ${OWNERSHIP} from case_record order by case_number`,
      'select case_number, person_id from case_subject order by case_number, person_id',
      'select case_number, property_id from case_property order by property_id, linked_at, case_number',
      'select case_number, count(*)::int as n from case_status_change group by case_number',
    ]),
  ]);
  const group = (rows: TruthRow[], key: string, value: string) => {
    const groups = new Map<string, string[]>();
    for (const row of rows) groups.set(row[key], [...(groups.get(row[key]) ?? []), row[value]]);
    return groups;
  };
  return {
    persons: persons!,
    property: property!,
    cases: cases!,
    subjectsOf: group(subjects!, 'case_number', 'person_id'),
    casesOfPerson: group(subjects!, 'person_id', 'case_number'),
    propertyOf: group(links!, 'case_number', 'property_id'),
    // links are ordered oldest first, so the last one written wins
    caseOfProperty: new Map(links!.map((row) => [row.property_id, row.case_number])),
    historyLength: new Map(history!.map((row) => [row.case_number, row.n])),
  };
}
