import type { Queryable } from '../kit/db.ts';
import type { Page } from '../kit/pagination.ts';
import { CASE_COLUMNS, type CaseRow } from './case-repository.ts';

/** A link from a parent (case, person or property item) to the id of a child record. */
export interface LinkRow {
  parent: string;
  id: string;
}

/** A case reached through a link, with the id of the person or property item it was reached from. */
export interface LinkedCaseRow extends CaseRow {
  parent: string;
}

/** How many links a parent has. */
export interface LinkCount {
  parent: string;
  n: number;
}

/** One direction of a link table: which column holds the parent and which the child. */
interface LinkSide {
  table: 'case_subject' | 'case_property';
  parent: string;
  child: string;
}

const CASE_SUBJECTS: LinkSide = { table: 'case_subject', parent: 'case_number', child: 'person_id' };
const CASE_PROPERTY: LinkSide = { table: 'case_property', parent: 'case_number', child: 'property_id' };
const PERSON_CASES: LinkSide = { table: 'case_subject', parent: 'person_id', child: 'case_number' };

/**
 * Every SQL statement that follows links between cases, wanted persons and property items. Each
 * method serves many parents in one query, for the DataLoaders of one request.
 */
export class CaseLinkRepository {
  constructor(private readonly db: Queryable) {}

  /** Subject person ids of the given cases: one page per case, ordered by person id. */
  subjects(caseNumbers: readonly string[], page: Page): Promise<LinkRow[]> {
    return this.pageOfLinks(CASE_SUBJECTS, caseNumbers, page);
  }

  subjectCounts(caseNumbers: readonly string[]): Promise<LinkCount[]> {
    return this.counts(CASE_SUBJECTS, caseNumbers);
  }

  /** Related property ids of the given cases: one page per case, ordered by property id. */
  property(caseNumbers: readonly string[], page: Page): Promise<LinkRow[]> {
    return this.pageOfLinks(CASE_PROPERTY, caseNumbers, page);
  }

  propertyCounts(caseNumbers: readonly string[]): Promise<LinkCount[]> {
    return this.counts(CASE_PROPERTY, caseNumbers);
  }

  /** The cases the given persons are subjects of: one page per person, ordered by case number. */
  casesOfPersons(personIds: readonly string[], page: Page): Promise<LinkedCaseRow[]> {
    const { sql, params } = rankedLinks(PERSON_CASES, personIds, page);
    return this.db.query<LinkedCaseRow>(
      `select links.parent, ${CASE_COLUMNS} from (${sql}) links join case_record c on c.case_number = links.id
       order by links.parent, links.id`,
      params,
    );
  }

  personCaseCounts(personIds: readonly string[]): Promise<LinkCount[]> {
    return this.counts(PERSON_CASES, personIds);
  }

  /** For each given property item linked to a case, the case it was linked to last. */
  latestCaseOfProperty(propertyIds: readonly string[]): Promise<LinkedCaseRow[]> {
    return this.db.query<LinkedCaseRow>(
      `select distinct on (p.property_id) p.property_id as parent, ${CASE_COLUMNS}
       from case_property p join case_record c on c.case_number = p.case_number
       where p.property_id = any($1::text[])
       order by p.property_id, p.linked_at desc, p.case_number desc`,
      [propertyIds],
    );
  }

  private pageOfLinks(side: LinkSide, parents: readonly string[], page: Page): Promise<LinkRow[]> {
    const { sql, params } = rankedLinks(side, parents, page);
    return this.db.query<LinkRow>(`${sql} order by parent, id`, params);
  }

  private counts(side: LinkSide, parents: readonly string[]): Promise<LinkCount[]> {
    return this.db.query<LinkCount>(
      `select ${side.parent} as parent, count(*)::int as n from ${side.table} where ${side.parent} = any($1::text[]) group by ${side.parent}`,
      [parents],
    );
  }
}

/**
 * The first `limit + 1` links of every parent after the cursor, numbered per parent by a window
 * function so that one query serves any number of parents; the extra row tells `hasNextPage`.
 */
function rankedLinks(side: LinkSide, parents: readonly string[], page: Page): { sql: string; params: unknown[] } {
  const params: unknown[] = page.after === null ? [parents, page.limit + 1] : [parents, page.limit + 1, page.after];
  const after = page.after === null ? '' : ` and ${side.child} > $3`;
  const sql = `select parent, id from (
      select ${side.parent} as parent, ${side.child} as id, row_number() over (partition by ${side.parent} order by ${side.child}) as rank_in_parent
      from ${side.table} where ${side.parent} = any($1::text[])${after}
    ) ranked where rank_in_parent <= $2`;
  return { sql, params };
}
