import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../../lib/authz/scopes.ts';
import type { Caller } from '../../../lib/authz/principal.ts';
import { ENGINES, openTestDb } from '../../../test/support/databases.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import type { Db } from '../db/db.ts';
import { RowScope } from './row-scope.ts';

const caller = (agency: string, jurisdictions: string[]): Caller => ({
  principal: { subject: 'row-scope-test', agency, scopes: new Set(ALL_SCOPES), jurisdictions },
  purpose: null,
});

const ANONYMOUS: Caller = { principal: null, purpose: null };

// The Dutch partner these rows were written for: agency NLKLPD001 (country NL), granted France and
// one German region.
const PARTNER = caller('NLKLPD001', ['FR', 'DE-BY']);

/** [id, owner, jurisdiction, mode, release jurisdictions, release agencies, visible to PARTNER]. */
const ROWS: [string, string, string, string, string[], string[], boolean][] = [
  ['all-owner-ungranted', 'NLKLPD001', 'US', 'ALL_GRANTED', [], [], true],
  ['all-granted-country', 'FRPN00001', 'FR', 'ALL_GRANTED', [], [], true],
  ['all-region-of-granted-country', 'FRPN00001', 'FR-IDF', 'ALL_GRANTED', [], [], true],
  ['all-granted-region', 'DEBKA0001', 'DE-BY', 'ALL_GRANTED', [], [], true],
  ['all-country-of-granted-region', 'DEBKA0001', 'DE', 'ALL_GRANTED', [], [], false],
  ['all-other-region', 'DEBKA0001', 'DE-BE', 'ALL_GRANTED', [], [], false],
  ['all-not-granted', 'ESPN00001', 'ES', 'ALL_GRANTED', [], [], false],
  ['only-owner-ungranted', 'NLKLPD001', 'ES', 'ONLY', [], [], true],
  ['only-listed-agency', 'FRPN00001', 'FR', 'ONLY', [], ['NLKLPD001'], true],
  ['only-listed-country', 'FRPN00001', 'FR-PAC', 'ONLY', ['NL'], [], true],
  ['only-listed-country-granted-region', 'DEBKA0001', 'DE-BY', 'ONLY', ['NL'], [], true],
  ['only-others-listed', 'FRPN00001', 'FR', 'ONLY', ['DE'], ['DEBKA0001'], false],
  ['only-listed-but-not-granted', 'ESPN00001', 'ES', 'ONLY', ['NL'], ['NLKLPD001'], false],
  ['except-owner-excluded', 'NLKLPD001', 'FR', 'EXCEPT', ['NL'], ['NLKLPD001'], true],
  ['except-others', 'FRPN00001', 'FR', 'EXCEPT', ['DE'], ['DEBKA0001'], true],
  ['except-agency-excluded', 'FRPN00001', 'FR', 'EXCEPT', [], ['NLKLPD001'], false],
  ['except-country-excluded', 'FRPN00001', 'FR-IDF', 'EXCEPT', ['NL'], [], false],
  ['except-not-granted', 'ESPN00001', 'ES', 'EXCEPT', ['DE'], [], false],
  ['owner-only-owner', 'NLKLPD001', 'NL', 'OWNER_ONLY', [], [], true],
  ['owner-only-granted-country', 'FRPN00001', 'FR', 'OWNER_ONLY', [], [], false],
  ['owner-only-granted-region', 'DEBKA0001', 'DE-BY', 'OWNER_ONLY', [], [], false],
  ['reference-owner-ungranted', 'NLKLPD001', 'US', 'REFERENCE_ONLY', [], [], true],
  ['reference-granted-country', 'FRPN00001', 'FR', 'REFERENCE_ONLY', [], [], true],
  ['reference-region-of-granted-country', 'FRPN00001', 'FR-IDF', 'REFERENCE_ONLY', [], [], true],
  ['reference-country-of-granted-region', 'DEBKA0001', 'DE', 'REFERENCE_ONLY', [], [], false],
  ['reference-not-granted', 'ESPN00001', 'ES', 'REFERENCE_ONLY', [], [], false],
];
const visibleTo = (wanted: boolean) =>
  ROWS.filter((row) => row[6] === wanted)
    .map(([id]) => id)
    .sort();

describe.each(ENGINES)('RowScope on %s', (engine) => {
  let db: Db;
  let release: () => Promise<void>;
  beforeAll(async () => {
    ({ db, release } = await openTestDb(engine, 'row_scope'));
    await db.exec(`create table record (id text primary key, owning_agency text not null, jurisdiction text not null, release_mode text not null,
      release_jurisdictions text[] not null, release_agencies text[] not null)`);
    const columns = ['id', 'owning_agency', 'jurisdiction', 'release_mode', 'release_jurisdictions', 'release_agencies'];
    await bulkInsert(
      db,
      'record',
      columns,
      ROWS.map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]]))),
    );
  });
  afterAll(() => release?.());

  /** Ids of the rows the scope admits, the predicate composed after one parameter of the caller's own. */
  async function visible(scope: RowScope, alias?: string): Promise<string[]> {
    const params: unknown[] = ['%'];
    const from = alias ? `record ${alias}` : 'record';
    const rows = await db.query<{ id: string }>(
      `select id from ${from} where id like $1 and ${scope.predicate(params, alias)} order by id`,
      params,
    );
    return rows.map((row) => row.id);
  }

  it('admits exactly the rows the rules admit, for every mode and every way of being covered', async () => {
    expect(await visible(RowScope.for(PARTNER))).toEqual(visibleTo(true));
  });

  it('works on an aliased table and binds parameters after those already bound', async () => {
    const params: unknown[] = ['%'];
    const scope = RowScope.for(PARTNER);
    const sql = `select a.id from record a join record b on b.id = a.id where a.id like $1 and ${scope.predicate(params, 'a')}
      and ${scope.predicate(params, 'b')} and a.id <> $${params.length + 1} order by a.id`;
    const rows = await db.query<{ id: string }>(sql, [...params, 'all-granted-country']);
    expect(rows.map((row) => row.id)).toEqual(visibleTo(true).filter((id) => id !== 'all-granted-country'));
    expect(await visible(scope, 'r')).toEqual(visibleTo(true));
  });

  it('shows an anonymous caller nothing, without binding anything', async () => {
    const params: unknown[] = [];
    expect(RowScope.for(ANONYMOUS).predicate(params)).toBe('false');
    expect(params).toEqual([]);
    expect(await visible(RowScope.for(ANONYMOUS))).toEqual([]);
  });

  it('shows an agency without grants only its own records, whatever their release decision', async () => {
    const own = ROWS.filter((row) => row[1] === 'NLKLPD001')
      .map(([id]) => id)
      .sort();
    expect(await visible(RowScope.for(caller('NLKLPD001', [])))).toEqual(own);
  });

  it('treats grants as values, never as SQL or patterns', async () => {
    expect(await visible(RowScope.for(caller('XXTEST001', ["FR' or true --", '%', 'F_', 'DE-%'])))).toEqual([]);
  });

  it('admits in TypeScript exactly the rows the SQL predicate admits, for every kind of caller', async () => {
    const callers = [
      PARTNER,
      ANONYMOUS,
      caller('NLKLPD001', []),
      caller('XXTEST001', ['DE-BY']),
      caller('FRPN00001', ['FR', 'DE', 'ES', 'NL']),
      caller('DEBKA0001', ['FR-IDF', 'FR-PAC', 'ES']),
      caller('ESPN00001', ['DE', 'NL', 'US']),
      caller('XXTEST001', ["FR' or true --", '%', 'F_', 'DE-%']),
    ];
    const stored = await db.query<{
      id: string;
      owning_agency: string;
      jurisdiction: string;
      release_mode: string;
      release_jurisdictions: string[];
      release_agencies: string[];
    }>('select * from record order by id');
    for (const who of callers) {
      const scope = RowScope.for(who);
      expect(
        stored.filter((row) => scope.admits(row)).map((row) => row.id),
        who.principal?.agency ?? 'anonymous',
      ).toEqual(await visible(scope));
    }
    expect(stored.filter((row) => RowScope.for(PARTNER).admits(row)).map((row) => row.id)).toEqual(visibleTo(true));
  });

  it('admits a REFERENCE_ONLY row as a reference to granted partners, and in full to its owner only', async () => {
    const stored = await db.query<{ id: string; owning_agency: string; release_mode: string }>('select * from record order by id');
    const references = (scope: RowScope) => stored.filter((row) => scope.referenceOnly(row)).map((row) => row.id);
    const admitted = new Set(await visible(RowScope.for(PARTNER)));
    expect(references(RowScope.for(PARTNER)).filter((id) => admitted.has(id))).toEqual([
      'reference-granted-country',
      'reference-region-of-granted-country',
    ]);
    expect(references(RowScope.for(caller('FRPN00001', ['FR'])))).not.toContain('reference-granted-country');
  });

  it('lets a region grant cover neither its country nor its sibling regions', async () => {
    const regional = await visible(RowScope.for(caller('XXTEST001', ['DE-BY'])));
    expect(regional).toEqual(['all-granted-region']);
  });
});

describe('RowScope.referenceOnly with release grants', () => {
  const row = (grants: { agency: string; until: string }[]) => ({
    owning_agency: 'FRPN00001',
    release_mode: 'REFERENCE_ONLY',
    release_grants: grants,
  });
  const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

  it('serves a reference-only row in full to an agency its owner granted it to, until the grant ends', () => {
    expect(RowScope.for(PARTNER).referenceOnly(row([{ agency: 'NLKLPD001', until: inSeconds(60) }]))).toBe(false);
    expect(RowScope.for(PARTNER).referenceOnly(row([{ agency: 'NLKLPD001', until: inSeconds(-1) }]))).toBe(true);
  });

  it('keeps it a reference for every other agency', () => {
    expect(RowScope.for(PARTNER).referenceOnly(row([{ agency: 'ESPN00001', until: inSeconds(60) }]))).toBe(true);
    expect(RowScope.for(PARTNER).referenceOnly(row([]))).toBe(true);
    expect(RowScope.for(caller('FRPN00001', ['FR'])).referenceOnly(row([]))).toBe(false);
  });
});
