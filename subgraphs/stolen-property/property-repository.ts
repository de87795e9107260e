import {
  type Connection,
  LookupCache,
  normaliseName,
  type Page,
  type PropertyKind,
  type Queryable,
  type RowScope,
  toConnection,
  countRecords,
} from '../kit/index.ts';
import type { FirearmRow, PropertyRow, TravelDocumentRow, VehicleRow } from './property-row.ts';

/** A travel document's identity: number normalised by the kit's normaliseIdentifier, country code. */
export interface DocumentKey {
  documentNorm: string;
  issuingCountry: string;
}

/** Search criteria, already validated. */
export interface PropertySearch {
  text?: string | undefined;
  kind?: PropertyKind | undefined;
  status?: string | undefined;
  /** A country (covering its regions) or one country-region. */
  jurisdiction?: string | undefined;
}

/** The property_item columns every read and write returns. */
export const COLUMNS = `id, kind, status, reported_at, make, model, vin, plate, registration_country, colour, year,
  document_number, issuing_country, document_type, serial_number, calibre, title, artist, period,
  owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies, release_grants, notify_owner_on_hit, source_system,
  version, recovered_on, recovery_note`;

/** The cache entities of the lookups below: by id, by normalised VIN, by {@link documentCacheKey}. */
export const CACHED = { byId: 'PropertyItem', byVin: 'VehicleByVin', byDocument: 'TravelDocumentByNumber' } as const;

/** A travel document's cache key: `country/number`; normalised numbers never contain a slash. */
export const documentCacheKey = (issuingCountry: string, documentNorm: string): string => `${issuingCountry}/${documentNorm}`;

/** The stored lookup keys of a row, whatever its kind. */
export interface LookupKeyColumns {
  vin_norm?: string | null;
  document_norm?: string | null;
  issuing_country?: string | null;
}

/** The keys a row is cached under besides its id: what a write of the row must invalidate. */
export function cachedLookupKeys(row: LookupKeyColumns): { entity: string; keys: string[] }[] {
  if (row.vin_norm) return [{ entity: CACHED.byVin, keys: [row.vin_norm] }];
  if (row.document_norm && row.issuing_country)
    return [{ entity: CACHED.byDocument, keys: [documentCacheKey(row.issuing_country, row.document_norm)] }];
  return [];
}

/**
 * Every SQL statement that reads stolen property. Lookup keys arrive normalised (kit normalise.ts),
 * the form the seed stores them in. Every statement is filtered by the caller's row rules, so a hidden
 * item is answered exactly like a missing one. One instance serves one request.
 */
export class PropertyRepository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    private readonly cache: LookupCache = LookupCache.uncached('stolen-property'),
  ) {}

  // Lookups by key read stored rows for every caller through the cache; the caller's row rules are
  // applied to them here, after the read.

  /** Visible rows for the given ids, in no particular order; unknown and hidden ids are simply absent. */
  async findByIds(ids: readonly string[]): Promise<PropertyRow[]> {
    const fetch = (misses: string[]) =>
      this.db.query<PropertyRow>(`select ${COLUMNS} from property_item where id = any($1::text[])`, [misses]);
    return this.visible(await this.cache.load(CACHED.byId, ids, fetch, (row) => row.id));
  }

  /** Visible vehicles for the given normalised VINs; the result carries `vin_norm` to match rows to keys. */
  async findByVins(vins: readonly string[]): Promise<(VehicleRow & { vin_norm: string })[]> {
    const fetch = (misses: string[]) =>
      this.db.query<VehicleRow & { vin_norm: string }>(`select ${COLUMNS}, vin_norm from property_item where vin_norm = any($1::text[])`, [
        misses,
      ]);
    return this.visible(await this.cache.load(CACHED.byVin, vins, fetch, (row) => row.vin_norm));
  }

  /** Visible travel documents for the given keys; the result carries `document_norm` to match rows to keys. */
  async findDocuments(keys: readonly DocumentKey[]): Promise<(TravelDocumentRow & { document_norm: string })[]> {
    const byKey = new Map(keys.map((key) => [documentCacheKey(key.issuingCountry, key.documentNorm), key]));
    const fetch = (misses: string[]) => {
      const wanted = misses.map((miss) => byKey.get(miss)!);
      return this.db.query<TravelDocumentRow & { document_norm: string }>(
        `select ${COLUMNS}, document_norm from property_item
          join unnest($1::text[], $2::text[]) as wanted (document_norm, issuing_country) using (document_norm, issuing_country)`,
        [wanted.map((key) => key.documentNorm), wanted.map((key) => key.issuingCountry)],
      );
    };
    const rows = await this.cache.load(CACHED.byDocument, [...byKey.keys()], fetch, (row) =>
      documentCacheKey(row.issuing_country, row.document_norm),
    );
    return this.visible(rows);
  }

  private visible<R extends PropertyRow>(rows: R[]): R[] {
    return rows.filter((row) => this.scope.admits(row));
  }

  /** Vehicles with this normalised plate, in every country or in one. */
  byPlate(plateNorm: string, country: string | undefined, page: Page): Promise<Connection<VehicleRow>> {
    const where = ['plate_norm = $1'];
    const params: unknown[] = [plateNorm];
    if (country) {
      params.push(country);
      where.push(`registration_country = $${params.length}`);
    }
    return this.page<VehicleRow>(where, params, page);
  }

  /** Firearms with this normalised serial, of every make or of one (case-insensitive). */
  bySerial(serialNorm: string, make: string | undefined, page: Page): Promise<Connection<FirearmRow>> {
    const where = ['serial_norm = $1'];
    const params: unknown[] = [serialNorm];
    if (make) {
      params.push(make);
      where.push(`lower(make) = lower($${params.length})`);
    }
    return this.page<FirearmRow>(where, params, page);
  }

  /** Items whose folded description has every word of `text`, narrowed by the other criteria. */
  search(criteria: PropertySearch, page: Page): Promise<Connection<PropertyRow>> {
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown) => `$${params.push(value)}`;
    if (criteria.text !== undefined) {
      const words = normaliseName(criteria.text).split(' ').filter(Boolean).slice(0, 6);
      where.push(...words.map((word) => `search_text like ${bind(`%${word}%`)}`));
      if (words.length === 0) where.push('false');
    }
    if (criteria.kind) where.push(`kind = ${bind(criteria.kind)}`);
    if (criteria.status) where.push(`status = ${bind(criteria.status)}`);
    if (criteria.jurisdiction) {
      // A country covers its regions: FR finds FR and FR-IDF; FR-IDF finds only FR-IDF.
      where.push(
        criteria.jurisdiction.includes('-')
          ? `jurisdiction = ${bind(criteria.jurisdiction)}`
          : `(jurisdiction = ${bind(criteria.jurisdiction)} or jurisdiction like ${bind(`${criteria.jurisdiction}-%`)})`,
      );
    }
    return this.page<PropertyRow>(where, params, page);
  }

  /**
   * One keyset page of visible items ordered by id (fetching one extra row to know whether more
   * follow), counted lazily under the same filter.
   */
  private async page<R extends PropertyRow>(where: string[], params: unknown[], page: Page): Promise<Connection<R>> {
    const filter = [...where, this.scope.predicate(params)].join(' and ');
    const keyset = page.after === null ? '' : ` and id > $${params.length + 1}`;
    const pageParams = page.after === null ? params : [...params, page.after];
    const rows = await this.db.query<R>(
      `select ${COLUMNS} from property_item where ${filter}${keyset} order by id limit ${page.limit + 1}`,
      pageParams,
    );
    return toConnection(
      rows,
      page,
      (row) => row.id,
      () =>
        countRecords(this.db, {
          from: 'property_item',
          where: filter,
          params,
        }),
    );
  }
}
