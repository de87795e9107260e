import {
  type Connection,
  countRecords,
  LookupCache,
  type Page,
  type Queryable,
  type RecordRow,
  type RowScope,
  toConnection,
} from '../kit/index.ts';

/** A case_record row as stored. Both drivers return timestamptz columns as Date objects. */
export interface CaseRow extends RecordRow {
  case_number: string;
  title: string;
  status: string;
  lead_agency: string;
  opened_at: Date;
  updated_at: Date;
  version: number;
}

/** A case_status_change row as stored. */
export interface CaseStatusChangeRow {
  case_number: string;
  seq: number;
  status: string;
  changed_at: Date;
  changed_by: string;
  reason: string | null;
}

/** List filters, already validated. */
export interface CaseFilter {
  status?: string | undefined;
  leadAgency?: string | undefined;
  /** A country code matches the country and its regions; a country-region code matches that region only. */
  jurisdiction?: string | undefined;
}

/** The case_record columns, for queries that alias the table as `c`. */
export const CASE_COLUMNS = `c.case_number, c.title, c.status, c.lead_agency, c.owning_agency, c.jurisdiction, c.release_mode,
  c.release_jurisdictions, c.release_agencies, c.notify_owner_on_hit, c.source_system, c.opened_at, c.updated_at, c.version`;

/**
 * Every SQL statement that reads cases and their history, each filtered by the caller's row rules:
 * in SQL, except lookups by number, filtered after the cache read. One instance serves one request.
 */
export class CaseRepository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    private readonly cache: LookupCache = LookupCache.uncached('case-status'),
  ) {}

  /** Visible rows for the given case numbers, in no particular order; unknown and hidden numbers are absent. */
  async findByNumbers(numbers: readonly string[]): Promise<CaseRow[]> {
    // Stored rows for every caller, cached; the caller's row rules are applied to them here.
    const rows = await this.cache.load(
      'Case',
      numbers,
      (misses) => this.db.query<CaseRow>(`select ${CASE_COLUMNS} from case_record c where c.case_number = any($1::text[])`, [misses]),
      (row) => row.case_number,
    );
    return rows.filter((row) => this.scope.admits(row));
  }

  /** Cases ordered by case number, one page at a time. */
  async list(filter: CaseFilter, page: Page): Promise<Connection<CaseRow>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (condition: (slot: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (filter.status) add((slot) => `c.status = ${slot}`, filter.status);
    if (filter.leadAgency) add((slot) => `c.lead_agency = ${slot}`, filter.leadAgency);
    if (filter.jurisdiction?.length === 2) add((slot) => `left(c.jurisdiction, 2) = ${slot}`, filter.jurisdiction);
    else if (filter.jurisdiction) add((slot) => `c.jurisdiction = ${slot}`, filter.jurisdiction);
    where.push(this.scope.predicate(params, 'c'));
    const condition = where.join(' and ');
    const keyset = page.after === null ? '' : ` and c.case_number > $${params.length + 1}`;
    const rows = await this.db.query<CaseRow>(
      `select ${CASE_COLUMNS} from case_record c where ${condition}${keyset} order by c.case_number limit ${page.limit + 1}`,
      page.after === null ? params : [...params, page.after],
    );
    return toConnection(
      rows,
      page,
      (row) => row.case_number,
      () =>
        countRecords(this.db, {
          from: 'case_record c',
          where: condition,
          params,
          id: 'c.case_number',
          owner: 'c.owning_agency',
          mode: 'c.release_mode',
          notify: 'c.notify_owner_on_hit',
        }),
    );
  }

  /** The status changes of those of the given cases the caller may see, each case's oldest first. */
  history(numbers: readonly string[]): Promise<CaseStatusChangeRow[]> {
    const params: unknown[] = [numbers];
    return this.db.query<CaseStatusChangeRow>(
      `select h.case_number, h.seq, h.status, h.changed_at, h.changed_by, h.reason
       from case_status_change h join case_record c on c.case_number = h.case_number
       where h.case_number = any($1::text[]) and ${this.scope.predicate(params, 'c')} order by h.case_number, h.seq`,
      params,
    );
  }
}
