import { type Counted, listedCount, type Page, type Queryable, type RowScope } from '../kit/index.ts';
import { CASE_COLUMNS, type CaseRow } from './case-repository.ts';

/**
 * A link from a parent (case, person or property item) to the id of a child record, with the agency
 * owning the child and its release decision as its snapshot says: listing the child discloses it in
 * that owner's trail, as a reference when the owner released it REFERENCE_ONLY.
 */
export interface LinkRow {
  parent: string;
  id: string;
  owning_agency: string;
  release_mode: string;
}

/** A case reached through a link, with the id of the person or property item it was reached from. */
export interface LinkedCaseRow extends CaseRow {
  parent: string;
}

/** How many visible links a parent has, and to whose records. */
export interface LinkCount {
  parent: string;
  counted: Counted;
}

/**
 * One direction of a link table: which column holds the parent and which the child, and whose
 * ownership the child has (the link's snapshot `l`, or the case `c`).
 */
interface LinkSide {
  table: 'case_subject' | 'case_property';
  parent: string;
  child: string;
  childOwner: 'l' | 'c';
}

const CASE_SUBJECTS: LinkSide = { table: 'case_subject', parent: 'case_number', child: 'person_id', childOwner: 'l' };
const CASE_PROPERTY: LinkSide = { table: 'case_property', parent: 'case_number', child: 'property_id', childOwner: 'l' };
const PERSON_CASES: LinkSide = { table: 'case_subject', parent: 'person_id', child: 'case_number', childOwner: 'c' };

/**
 * Every SQL statement that follows links between cases, wanted persons and property items. Each
 * method serves many parents in one query, for the DataLoaders of one request. A link is followed only
 * when the caller may see both ends: the case, by its own row, and the person or item, by the
 * ownership snapshot the link keeps of it (migration 002), under the same {@link RowScope}.
 */
export class CaseLinkRepository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
  ) {}

  /** Visible subject person ids of the given cases: one page per case, ordered by person id. */
  subjects(caseNumbers: readonly string[], page: Page): Promise<LinkRow[]> {
    return this.pageOfLinks(CASE_SUBJECTS, caseNumbers, page);
  }

  subjectCounts(caseNumbers: readonly string[]): Promise<LinkCount[]> {
    return this.counts(CASE_SUBJECTS, caseNumbers);
  }

  /** Visible related property ids of the given cases: one page per case, ordered by property id. */
  property(caseNumbers: readonly string[], page: Page): Promise<LinkRow[]> {
    return this.pageOfLinks(CASE_PROPERTY, caseNumbers, page);
  }

  propertyCounts(caseNumbers: readonly string[]): Promise<LinkCount[]> {
    return this.counts(CASE_PROPERTY, caseNumbers);
  }

  /** The visible cases the given (visible) persons are subjects of: one page per person, by case number. */
  casesOfPersons(personIds: readonly string[], page: Page): Promise<LinkedCaseRow[]> {
    const { sql, params } = this.rankedLinks(PERSON_CASES, personIds, page);
    return this.db.query<LinkedCaseRow>(
      `select links.parent, ${CASE_COLUMNS} from (${sql}) links join case_record c on c.case_number = links.id
       order by links.parent, links.id`,
      params,
    );
  }

  personCaseCounts(personIds: readonly string[]): Promise<LinkCount[]> {
    return this.counts(PERSON_CASES, personIds);
  }

  /** For each given (visible) property item, the visible case it was linked to last. */
  latestCaseOfProperty(propertyIds: readonly string[]): Promise<LinkedCaseRow[]> {
    const params: unknown[] = [propertyIds];
    return this.db.query<LinkedCaseRow>(
      `select distinct on (l.property_id) l.property_id as parent, ${CASE_COLUMNS}
       from case_property l join case_record c on c.case_number = l.case_number
       where l.property_id = any($1::text[]) and ${this.bothEnds(params)}
       order by l.property_id, l.linked_at desc, l.case_number desc`,
      params,
    );
  }

  private pageOfLinks(side: LinkSide, parents: readonly string[], page: Page): Promise<LinkRow[]> {
    const { sql, params } = this.rankedLinks(side, parents, page);
    return this.db.query<LinkRow>(`${sql} order by parent, id`, params);
  }

  /** A parent's links are few (a case's subjects, a person's cases), so every counted id is read. */
  private async counts(side: LinkSide, parents: readonly string[]): Promise<LinkCount[]> {
    const params: unknown[] = [parents];
    const rows = await this.db.query<{ parent: string; owner: string; id: string; mode: string }>(
      `select l.${side.parent} as parent, ${side.childOwner}.owning_agency as owner, l.${side.child} as id, ${side.childOwner}.release_mode as mode
       from ${side.table} l join case_record c on c.case_number = l.case_number
       where l.${side.parent} = any($1::text[]) and ${this.bothEnds(params)}`,
      params,
    );
    const byParent = new Map<string, { owner: string; id: string; mode: string }[]>();
    for (const { parent, ...record } of rows) byParent.set(parent, [...(byParent.get(parent) ?? []), record]);
    return [...byParent].map(([parent, records]) => ({ parent, counted: listedCount(records) }));
  }

  /**
   * The first `limit + 1` visible links of every parent after the cursor, numbered per parent by a
   * window function so that one query serves any number of parents; the extra row tells `hasNextPage`.
   * The cursor only bounds the walk: a cursor naming a hidden record reveals nothing.
   */
  private rankedLinks(side: LinkSide, parents: readonly string[], page: Page): { sql: string; params: unknown[] } {
    const params: unknown[] = [parents];
    const visible = this.bothEnds(params);
    const after = page.after === null ? '' : ` and l.${side.child} > $${params.push(page.after)}`;
    const limit = `$${params.push(page.limit + 1)}`;
    const sql = `select parent, id, owning_agency, release_mode from (
        select l.${side.parent} as parent, l.${side.child} as id, ${side.childOwner}.owning_agency, ${side.childOwner}.release_mode, row_number() over (partition by l.${side.parent} order by l.${side.child}) as rank_in_parent
        from ${side.table} l join case_record c on c.case_number = l.case_number
        where l.${side.parent} = any($1::text[]) and ${visible}${after}
      ) ranked where rank_in_parent <= ${limit}`;
    return { sql, params };
  }

  /** The case (alias `c`) and the linked record's snapshot (alias `l`) must both be visible. */
  private bothEnds(params: unknown[]): string {
    return `${this.scope.predicate(params, 'c')} and ${this.scope.predicate(params, 'l')}`;
  }
}
