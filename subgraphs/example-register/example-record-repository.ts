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

/** The first letter of every example-record id: that letter and nine digits. */
export const RECORD_LETTER = 'E';
/** The lookup cache's name for records by id; writes drop a record's entry under it. */
export const CACHED_ENTITY = 'ExampleRecord';

/** A row of example_record as stored. */
export interface ExampleRecordRow extends RecordRow {
  id: string;
  version: number;
  label: string | null;
  linked_person_id: string | null;
}

export const COLUMNS =
  'id, version, label, linked_person_id, owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies, release_grants, notify_owner_on_hit, source_system';

/**
 * Every statement that reads example_record, each filtered by the caller's row rules: in SQL for the
 * list, after the shared cache read for lookups by id. One instance per request.
 */
export class ExampleRecordRepository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    private readonly cache: LookupCache = LookupCache.uncached('example-register'),
  ) {}

  /** Visible rows for the given ids; unknown and hidden ids are simply absent. */
  async findByIds(ids: readonly string[]): Promise<ExampleRecordRow[]> {
    const fetch = (misses: string[]) =>
      this.db.query<ExampleRecordRow>(`select ${COLUMNS} from example_record where id = any($1::text[])`, [misses]);
    const rows = await this.cache.load(CACHED_ENTITY, ids, fetch, (row) => row.id);
    return rows.filter((row) => this.scope.admits(row));
  }

  /** One keyset page of visible rows ordered by id, counted lazily under the same filter. */
  async list(page: Page): Promise<Connection<ExampleRecordRow>> {
    const params: unknown[] = [];
    const filter = this.scope.predicate(params);
    const keyset = page.after === null ? '' : ` and id > $${params.length + 1}`;
    const rows = await this.db.query<ExampleRecordRow>(
      `select ${COLUMNS} from example_record where ${filter}${keyset} order by id limit ${page.limit + 1}`,
      page.after === null ? params : [...params, page.after],
    );
    return toConnection(
      rows,
      page,
      (row) => row.id,
      () =>
        countRecords(this.db, {
          from: 'example_record',
          where: filter,
          params,
        }),
    );
  }
}
