import {
  type Connection,
  LookupCache,
  normaliseName,
  type Page,
  type Queryable,
  type RecordRow,
  type RowScope,
  toConnection,
  countRecords,
} from '../kit/index.ts';

/** A wanted_person row as stored. */
export interface WantedPersonRow extends RecordRow {
  id: string;
  family_name: string;
  given_names: string;
  aliases: string[];
  date_of_birth: string | null;
  nationality: string | null;
  sex: string;
  distinguishing_marks: string[];
  photo_ref: string | null;
  notice_type: string;
  warrant_court: string | null;
  warrant_issued_on: string | null;
  warrant_charges: string[];
  caveats: string[];
  status: string;
  last_verified_on: string;
  version: number;
  status_note: string | null;
  located_on: string | null;
}

/** Search criteria, already validated. */
export interface PersonSearch {
  name: string;
  dateOfBirth?: string | undefined;
  nationality?: string | undefined;
}

/** The wanted_person columns every read and write returns. */
export const COLUMNS = `id, family_name, given_names, aliases, date_of_birth, nationality, sex, distinguishing_marks, photo_ref,
  notice_type, warrant_court, warrant_issued_on, warrant_charges, caveats, status, owning_agency, jurisdiction,
  release_mode, release_jurisdictions, release_agencies, release_grants, notify_owner_on_hit, source_system, last_verified_on, version, status_note, located_on`;

/**
 * Every SQL statement that reads wanted persons, each filtered by the caller's row rules: in SQL for
 * searches and lists, after the cache read for lookups by id. One instance serves one request.
 */
export class WantedPersonRepository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    private readonly cache: LookupCache = LookupCache.uncached('wanted-persons'),
  ) {}

  /** Visible rows for the given ids, in no particular order; unknown and hidden ids are simply absent. */
  async findByIds(ids: readonly string[]): Promise<WantedPersonRow[]> {
    // Stored rows for every caller, cached; the caller's row rules are applied to them here.
    const rows = await this.cache.load(
      'WantedPerson',
      ids,
      (misses) => this.db.query<WantedPersonRow>(`select ${COLUMNS} from wanted_person where id = any($1::text[])`, [misses]),
      (row) => row.id,
    );
    return rows.filter((row) => this.scope.admits(row));
  }

  /** Every word of the name must appear in the folded names or aliases. */
  search(criteria: PersonSearch, page: Page): Promise<Connection<WantedPersonRow>> {
    const words = normaliseName(criteria.name).split(' ').filter(Boolean).slice(0, 6);
    const params: unknown[] = [];
    const where = words.map((word) => {
      params.push(`%${word}%`);
      return `search_text like $${params.length}`;
    });
    if (words.length === 0) where.push('false');
    if (criteria.dateOfBirth) {
      params.push(criteria.dateOfBirth);
      where.push(`date_of_birth = $${params.length}::date`);
    }
    if (criteria.nationality) {
      params.push(criteria.nationality);
      where.push(`nationality = $${params.length}`);
    }
    return this.page(where, params, page);
  }

  byNotice(noticeType: string, status: string | undefined, page: Page): Promise<Connection<WantedPersonRow>> {
    const params: unknown[] = [noticeType];
    const where = ['notice_type = $1'];
    if (status) {
      params.push(status);
      where.push(`status = $${params.length}`);
    }
    return this.page(where, params, page);
  }

  /** One keyset page of visible rows ordered by id, counted lazily under the same filter. */
  private async page(where: string[], params: unknown[], page: Page): Promise<Connection<WantedPersonRow>> {
    const filter = [...where, this.scope.predicate(params)].join(' and ');
    const keyset = page.after === null ? '' : ` and id > $${params.length + 1}`;
    const pageParams = page.after === null ? params : [...params, page.after];
    const rows = await this.db.query<WantedPersonRow>(
      `select ${COLUMNS} from wanted_person where ${filter}${keyset} order by id limit ${page.limit + 1}`,
      pageParams,
    );
    return toConnection(
      rows,
      page,
      (row) => row.id,
      () =>
        countRecords(this.db, {
          from: 'wanted_person',
          where: filter,
          params,
        }),
    );
  }
}
