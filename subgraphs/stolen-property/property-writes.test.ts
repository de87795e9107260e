import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph } from '../../test/support/identity.ts';
import { deleteKeys, uniquePrefix } from '../../test/support/redis-keys.ts';
import { testConfig } from '../../test/support/test-config.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { verifyChains } from '../kit/index.ts';
import {
  AMEND,
  artwork,
  BY_DOCUMENT,
  BY_PLATE,
  BY_VIN,
  daysFromNow,
  firearm,
  key,
  newVin,
  OTHER,
  OWNER,
  partner,
  RECOVER,
  REPORT,
  today,
  travelDocument,
  vehicle,
  vehicleReport,
  withWrongCheckDigit,
} from './property-write-fixtures.ts';
import { buildServer } from './server.ts';

type Issue = { field: string; message: string };

describe.each(ENGINES)('stolen-property writes on %s', (engine) => {
  // A real Redis lookup cache, so a write that left a stale copy or a stale "not found" behind would show.
  const prefix = uniquePrefix();
  const redis = new Redis(testConfig.TEST_REDIS_URL, { lazyConnect: true });
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'property_writes', { cache: { redisUrl: testConfig.TEST_REDIS_URL, prefix } });
  });
  afterAll(async () => {
    await subgraph?.stop();
    redis.disconnect();
    await deleteKeys(prefix);
  });

  const ask = (query: string, variables: Record<string, unknown>, caller: Caller = OWNER) =>
    askSubgraph(subgraph.url, query, variables, caller);
  const report = async (input: Record<string, unknown> = vehicleReport(), caller: Caller = OWNER) => {
    const response = await ask(REPORT, { input, key: key() }, caller);
    expect(response.errors).toBeUndefined();
    return response.data!.reportPropertyStolen;
  };
  const writesOf = (id: string) =>
    subgraph.counted.db.query<{ action: string; chain: string }>(
      `select action, chain from audit_entry where kind = 'WRITE' and $1 = any(record_ids) order by seq`,
      [id],
    );
  const issuesOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => {
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    return (response.errors![0]!.extensions!.fields as Issue[]).map((issue) => `${issue.field}: ${issue.message}`);
  };
  /** Cache entries of an entity, whatever the cache's version and key id (lookup keys are hashed in key names). */
  const cached = async (entity: string) => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:stolen-property:${entity}:*`, 'COUNT', 1_000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  };
  const itemCount = async () => (await subgraph.counted.db.query<{ n: number }>('select count(*)::int as n from property_item'))[0]!.n;

  it('reports each kind, normalised, owned by the writer, at version 1, findable by its lookups at once', async () => {
    const vin = newVin();
    const car = await report(
      vehicleReport(
        { jurisdiction: 'fr-ara' },
        { vin: `${vin.slice(0, 3).toLowerCase()} ${vin.slice(3, 9)}-${vin.slice(9)}`, plate: ' tw-42 abc ', registrationCountry: 'fr' },
      ),
    );
    expect(car).toMatchObject({
      __typename: 'Vehicle',
      id: expect.stringMatching(/^V9\d{8}$/),
      version: 1,
      status: 'STOLEN',
      vin,
      plate: 'TW-42 ABC',
      registrationCountry: 'FR',
    });
    expect(car).toMatchObject({
      jurisdiction: 'FR-ARA',
      owningAgency: 'FRPN00001',
      releasability: { mode: 'ALL_GRANTED' },
      description: 'Peugeot 308, grey, TW-42 ABC',
      recoveredOn: null,
    });
    expect(await writesOf(car.id)).toEqual([{ action: 'reportPropertyStolen', chain: 'FRPN00001' }]);
    expect((await ask(BY_VIN, { vin }, OTHER)).data!.vehicleByVin).toMatchObject({ id: car.id, version: 1 });
    expect((await ask(BY_PLATE, { plate: 'tw42abc' }, OTHER)).data!.vehiclesByPlate.nodes).toEqual([
      { id: car.id, version: 1, plate: 'TW-42 ABC' },
    ]);

    const passport = await report({
      kind: 'TRAVEL_DOCUMENT',
      jurisdiction: 'FR',
      travelDocument: travelDocument({ documentNumber: '12ab 34-567', issuingCountry: 'fr' }),
    });
    expect(passport).toMatchObject({
      __typename: 'TravelDocument',
      id: expect.stringMatching(/^D9\d{8}$/),
      documentNumber: '12AB 34-567',
      issuingCountry: 'FR',
      version: 1,
    });
    expect((await ask(BY_DOCUMENT, { n: '12AB34567', c: 'FR' }, OTHER)).data!.travelDocument).toMatchObject({ id: passport.id });
    const gun = await report({ kind: 'FIREARM', jurisdiction: 'FR', firearm: firearm({ serialNumber: 'abc-123' }) });
    expect(gun).toMatchObject({
      __typename: 'Firearm',
      id: expect.stringMatching(/^F9\d{8}$/),
      serialNumber: 'ABC-123',
      calibre: '9x19mm',
    });
    const serials = await ask('{ firearmsBySerial(serialNumber: "ABC123") { nodes { id } } }', {}, OTHER);
    expect(serials.data!.firearmsBySerial.nodes).toContainEqual({ id: gun.id });
    const painting = await report({ kind: 'ARTWORK', jurisdiction: 'FR-IDF', artwork: artwork() });
    expect(painting).toMatchObject({ __typename: 'Artwork', id: expect.stringMatching(/^A9\d{8}$/), artist: 'Paul Cézanne' });
    const found = await ask('{ searchProperty(text: "compotier cezanne", kind: ARTWORK) { nodes { id } } }', {}, OTHER);
    expect(found.data!.searchProperty.nodes).toContainEqual({ id: painting.id });
  });

  it('keeps notifyOwnerOnHit through amendments that omit it, and clears it when told', async () => {
    const flagOf = async (id: string) =>
      (await ask(`{ propertyItem(id: "${id}") { releasability { notifyOwnerOnHit } } }`, {}, OTHER)).data!.propertyItem.releasability
        .notifyOwnerOnHit;
    const amend = (id: string, v: number, releasability: Record<string, unknown>) =>
      ask(AMEND, { id, v, input: { releasability }, key: key() });
    expect(await flagOf((await report()).id)).toBe(false);
    const car = await report(vehicleReport({ releasability: { mode: 'ALL_GRANTED', notifyOwnerOnHit: true } }));
    expect(await flagOf(car.id)).toBe(true);
    expect((await amend(car.id, 1, { mode: 'EXCEPT', jurisdictions: ['nl'] })).errors).toBeUndefined();
    expect(await flagOf(car.id)).toBe(true);
    expect((await amend(car.id, 2, { mode: 'EXCEPT', jurisdictions: ['nl'], notifyOwnerOnHit: false })).errors).toBeUndefined();
    expect(await flagOf(car.id)).toBe(false);
  });

  it('amends kind fields, jurisdiction and releasability at the expected version, moving the lookups', async () => {
    const car = await report();
    const amended = await ask(AMEND, {
      id: car.id,
      v: 1,
      input: { jurisdiction: 'FR-IDF', vehicle: { plate: 'TW-77-NEW', colour: 'black' } },
      key: key(),
    });
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.amendPropertyItem).toMatchObject({
      version: 2,
      plate: 'TW-77-NEW',
      colour: 'black',
      make: 'Peugeot',
      vin: car.vin,
      jurisdiction: 'FR-IDF',
      description: 'Peugeot 308, black, TW-77-NEW',
    });
    expect((await ask(BY_PLATE, { plate: car.plate }, OTHER)).data!.vehiclesByPlate.nodes).toEqual([]);
    expect((await ask(BY_PLATE, { plate: 'TW77NEW' }, OTHER)).data!.vehiclesByPlate.nodes).toEqual([
      { id: car.id, version: 2, plate: 'TW-77-NEW' },
    ]);

    const hidden = await ask(AMEND, { id: car.id, v: 2, input: { releasability: { mode: 'ONLY', agencies: ['nlklpd001'] } }, key: key() });
    expect(hidden.data!.amendPropertyItem).toMatchObject({
      version: 3,
      releasability: { mode: 'ONLY', jurisdictions: [], agencies: ['NLKLPD001'] },
    });
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toBeNull();
    expect((await writesOf(car.id)).map((entry) => entry.action)).toEqual([
      'reportPropertyStolen',
      'amendPropertyItem',
      'amendPropertyItem',
    ]);
    const trail = await ask(
      `{ stolenPropertyAudit(filter: {recordId: "${car.id}", kind: WRITE}) { totalCount nodes { action purpose purposeReference partnerAgency } } }`,
      {},
    );
    expect(trail.data!.stolenPropertyAudit).toMatchObject({
      totalCount: 3,
      nodes: [{ action: 'amendPropertyItem', purpose: 'OPERATIONS', purposeReference: 'REF-9', partnerAgency: 'FRPN00001' }, {}, {}],
    });
  });

  it('marks STOLEN items recovered, and refuses to recover them twice', async () => {
    const car = await report();
    const recovered = await ask(RECOVER, { id: car.id, v: 1, on: today(), note: 'Found in a car park in Villeurbanne', key: key() });
    expect(recovered.data!.markPropertyRecovered).toMatchObject({
      status: 'RECOVERED',
      version: 2,
      recoveredOn: today(),
      recoveryNote: 'Found in a car park in Villeurbanne',
    });
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ status: 'RECOVERED', version: 2 });
    const again = await ask(RECOVER, { id: car.id, v: 2, on: today(), key: key() });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', currentStatus: 'RECOVERED', currentVersion: 2 } });
    const early = await ask(RECOVER, { id: (await report()).id, v: 1, on: '2020-01-01', key: key() });
    expect(early.errors?.[0]).toMatchObject({
      message: expect.stringContaining('before the theft was reported'),
      extensions: { code: 'BAD_USER_INPUT', field: 'recoveredOn' },
    });
  });

  it('names every offending field of a report and writes nothing', async () => {
    const before = await itemCount();
    const response = await ask(REPORT, {
      input: {
        kind: 'VEHICLE',
        jurisdiction: 'ZZ-1',
        vehicle: vehicle({ vin: withWrongCheckDigit(newVin()), registrationCountry: 'XX', plate: '--', year: 1850, make: ' ' }),
        firearm: firearm(),
      },
      key: key(),
    });
    expect(issuesOf(response)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^input\.jurisdiction: must be an ISO 3166 code/),
        expect.stringMatching(/^input\.vehicle\.vin: fails its check digit: position 9 must be/),
        expect.stringMatching(/^input\.vehicle\.registrationCountry: must be an assigned ISO 3166-1/),
        expect.stringMatching(/^input\.vehicle\.plate: must be 1 to 15 letters or digits/),
        'input.vehicle.year: must be a model year from 1886 to next year',
        'input.vehicle.make: must not be empty',
        'input.firearm: must be omitted: the item is a VEHICLE, whose fields go in vehicle',
      ]),
    );
    const missing = await ask(REPORT, { input: { kind: 'TRAVEL_DOCUMENT', jurisdiction: 'FR', artwork: artwork() }, key: key() });
    expect(issuesOf(missing)).toEqual([
      'input.artwork: must be omitted: the item is a TRAVEL_DOCUMENT, whose fields go in travelDocument',
      'input.travelDocument: is required for kind TRAVEL_DOCUMENT',
    ]);
    const document = await ask(REPORT, {
      input: {
        kind: 'TRAVEL_DOCUMENT',
        jurisdiction: 'FR',
        travelDocument: travelDocument({ issuingCountry: 'QQ', documentNumber: '#?' }),
      },
      key: key(),
    });
    expect(issuesOf(document)).toEqual([
      expect.stringMatching(/^input\.travelDocument\.documentNumber: must be 1 to 20/),
      expect.stringMatching(/^input\.travelDocument\.issuingCountry: must be an assigned/),
    ]);
    expect(await itemCount()).toBe(before);
  });

  it('names every offending field of an amendment or recovery, before reading the item', async () => {
    const car = await report();
    const mismatch = await ask(AMEND, {
      id: car.id,
      v: 1,
      input: { travelDocument: { issuingCountry: 'DE' }, vehicle: { vin: 'SHORT' } },
      key: key(),
    });
    expect(issuesOf(mismatch)).toEqual([
      'input.vehicle.vin: must be 17 characters: digits and letters except I, O and Q',
      'input.travelDocument: must be omitted: the item is a VEHICLE, whose fields go in vehicle',
    ]);
    expect(issuesOf(await ask(AMEND, { id: car.id, v: 1, input: { vehicle: {} }, key: key() }))).toEqual([
      'input.vehicle: must change at least one field',
    ]);
    const recovery = await ask(RECOVER, { id: 'X12', v: 0, on: daysFromNow(3), note: '', key: key() });
    expect(issuesOf(recovery)).toEqual([
      expect.stringMatching(/^id: must be a record id/),
      'expectedVersion: must be at least 1',
      'recoveredOn: must not be in the future',
      'note: must not be empty',
    ]);
    expect(await subgraph.counted.db.query('select version, status from property_item where id = $1', [car.id])).toEqual([
      { version: 1, status: 'STOLEN' },
    ]);
  });

  it('refuses a jurisdiction outside the grants, a non-owner, a hidden item, a missing scope and a second report of a VIN', async () => {
    expect((await ask(REPORT, { input: vehicleReport({ jurisdiction: 'DE-BY' }), key: key() })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const car = await report();
    expect((await ask(AMEND, { id: car.id, v: 1, input: { jurisdiction: 'DE' }, key: key() })).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    const notOwner = await ask(RECOVER, { id: car.id, v: 1, on: today(), key: key() }, OTHER);
    expect(notOwner.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Only the owning agency FRPN00001'),
      extensions: { code: 'FORBIDDEN' },
    });
    const secret = await report(vehicleReport({ releasability: { mode: 'OWNER_ONLY' } }));
    const hidden = await ask(AMEND, { id: secret.id, v: 1, input: { vehicle: { colour: 'red' } }, key: key() }, OTHER);
    expect(hidden.errors?.[0]).toMatchObject({ message: `No property item ${secret.id}`, extensions: { code: 'NOT_FOUND' } });
    const readOnly = await ask(RECOVER, { id: car.id, v: 1, on: today(), key: key() }, partner('FRPN00001', ['FR'], ['property:read']));
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const duplicate = await ask(REPORT, { input: vehicleReport({}, { vin: car.vin.toLowerCase() }), key: key() });
    expect(duplicate.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', field: 'input.vehicle.vin' } });
    expect(await writesOf(car.id)).toHaveLength(1);
    expect(await subgraph.counted.db.query('select count(*)::int as n from property_item where vin = $1', [car.vin])).toEqual([{ n: 1 }]);
  });

  it('runs a key retried 10 times at once exactly once, and refuses the key for another input', async () => {
    const idempotencyKey = key();
    const input = vehicleReport();
    const responses = await Promise.all(Array.from({ length: 10 }, () => ask(REPORT, { input, key: idempotencyKey })));
    const ids = new Set(responses.map((response) => response.data?.reportPropertyStolen?.id));
    expect(ids.size).toBe(1);
    const id = [...ids][0] as string;
    expect(await subgraph.counted.db.query('select id from property_item where vin = $1', [input.vehicle.vin])).toEqual([{ id }]);
    expect(await writesOf(id)).toHaveLength(1);
    const reused = await ask(REPORT, { input: vehicleReport(), key: idempotencyKey });
    expect(reused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' } });
  });

  it('lets one of two concurrent edits at the same version win; the other gets CONFLICT and the current version', async () => {
    const car = await report();
    const [a, b] = await Promise.all([
      ask(AMEND, { id: car.id, v: 1, input: { vehicle: { colour: 'alpha white' } }, key: key() }),
      ask(RECOVER, { id: car.id, v: 1, on: today(), key: key() }),
    ]);
    const winners = [a, b].filter((response) => !response.errors);
    const losers = [a, b].filter((response) => response.errors);
    expect(winners).toHaveLength(1);
    expect(losers[0]!.errors![0]).toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
    const [stored] = await subgraph.counted.db.query<{ colour: string; status: string; version: number }>(
      'select colour, status, version from property_item where id = $1',
      [car.id],
    );
    expect(stored!.version).toBe(2);
    expect(stored!.colour === 'alpha white').toBe(stored!.status === 'STOLEN');
  });

  it('serves no stale lookup after a write: cached items and cached "not found" give way at once', async () => {
    const db = subgraph.counted.db;
    const car = await report();
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ colour: 'grey' });
    // Cached: a change made behind the subgraph's back stays unseen until a write invalidates the entry.
    await db.query(`update property_item set colour = 'mauve' where id = $1`, [car.id]);
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ colour: 'grey' });
    const vin = newVin();
    const vinEntries = new Set(await cached('VehicleByVin'));
    expect((await ask(BY_VIN, { vin }, OTHER)).data!.vehicleByVin).toBeNull();
    // One new entry, the "not found": compared as sets, since the write's delayed second invalidation
    // may drop the reported car's entry meanwhile.
    expect((await cached('VehicleByVin')).filter((entry) => !vinEntries.has(entry))).toHaveLength(1);
    const amended = await ask(AMEND, { id: car.id, v: 1, input: { vehicle: { vin, plate: 'TW-CACHE-1' } }, key: key() });
    expect(amended.errors).toBeUndefined();
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toBeNull();
    expect((await ask(BY_VIN, { vin }, OTHER)).data!.vehicleByVin).toEqual({
      id: car.id,
      version: 2,
      plate: 'TW-CACHE-1',
      colour: 'mauve',
      status: 'STOLEN',
    });
    expect((await ask(BY_PLATE, { plate: 'TWCACHE1' }, OTHER)).data!.vehiclesByPlate.nodes).toEqual([
      { id: car.id, version: 2, plate: 'TW-CACHE-1' },
    ]);

    const reportedVin = newVin();
    expect((await ask(BY_VIN, { vin: reportedVin }, OTHER)).data!.vehicleByVin).toBeNull();
    const reported = await report(vehicleReport({}, { vin: reportedVin }));
    expect((await ask(BY_VIN, { vin: reportedVin }, OTHER)).data!.vehicleByVin).toMatchObject({ id: reported.id, version: 1 });

    const number = `TC${Date.now() % 1_000_000}`;
    const documentEntries = new Set(await cached('TravelDocumentByNumber'));
    expect((await ask(BY_DOCUMENT, { n: number, c: 'FR' }, OTHER)).data!.travelDocument).toBeNull();
    expect((await cached('TravelDocumentByNumber')).filter((entry) => !documentEntries.has(entry))).toHaveLength(1);
    const passport = await report({
      kind: 'TRAVEL_DOCUMENT',
      jurisdiction: 'FR',
      travelDocument: travelDocument({ documentNumber: number }),
    });
    expect((await ask(BY_DOCUMENT, { n: number, c: 'FR' }, OTHER)).data!.travelDocument).toMatchObject({ id: passport.id, version: 1 });
    await ask(AMEND, { id: passport.id, v: 1, input: { travelDocument: { issuingCountry: 'BE' } }, key: key() });
    expect((await ask(BY_DOCUMENT, { n: number, c: 'FR' }, OTHER)).data!.travelDocument).toBeNull();
    expect((await ask(BY_DOCUMENT, { n: number, c: 'BE' }, OTHER)).data!.travelDocument).toMatchObject({
      id: passport.id,
      version: 2,
      issuingCountry: 'BE',
    });
    await ask(RECOVER, { id: passport.id, v: 2, on: today(), key: key() });
    expect((await ask(`{ propertyItem(id: "${passport.id}") { status version } }`, {}, OTHER)).data!.propertyItem).toEqual({
      status: 'RECOVERED',
      version: 3,
    });
    expect((await ask(BY_DOCUMENT, { n: number, c: 'BE' }, OTHER)).data!.travelDocument).toMatchObject({ version: 3 });
  });

  it('leaves no item, no change, no audit entry and no idempotency claim when the transaction fails midway', async () => {
    const car = await report();
    const db = subgraph.counted.db;
    const lost = vehicleReport();
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ plate: car.plate, version: 1 });
    expect((await ask(BY_VIN, { vin: lost.vehicle.vin }, OTHER)).data!.vehicleByVin).toBeNull();
    await db.exec(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'injected audit failure'; end $$;
      create trigger refuse_audit before insert on audit_entry for each row execute function refuse_audit();`);
    const amendKey = key();
    const reportKey = key();
    try {
      expect(
        (await ask(AMEND, { id: car.id, v: 1, input: { vehicle: { plate: 'TW-PARTIAL' } }, key: amendKey })).errors?.[0]?.extensions?.code,
      ).toBe('INTERNAL_SERVER_ERROR');
      expect((await ask(REPORT, { input: lost, key: reportKey })).errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db.exec('drop trigger refuse_audit on audit_entry; drop function refuse_audit();');
    }
    expect(await db.query('select plate, plate_norm, version from property_item where id = $1', [car.id])).toEqual([
      { plate: car.plate, plate_norm: car.plate.replace(/-/g, ''), version: 1 },
    ]);
    expect(await db.query('select id from property_item where vin = $1', [lost.vehicle.vin])).toEqual([]);
    expect(await writesOf(car.id)).toHaveLength(1);
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ plate: car.plate, version: 1 });
    expect((await ask(BY_PLATE, { plate: 'TWPARTIAL' }, OTHER)).data!.vehiclesByPlate.nodes).toEqual([]);
    expect((await ask(BY_VIN, { vin: lost.vehicle.vin }, OTHER)).data!.vehicleByVin).toBeNull();
    const retried = await ask(AMEND, { id: car.id, v: 1, input: { vehicle: { plate: 'TW-PARTIAL' } }, key: amendKey });
    expect(retried.data!.amendPropertyItem).toMatchObject({ plate: 'TW-PARTIAL', version: 2 });
    expect((await ask(BY_VIN, { vin: car.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ plate: 'TW-PARTIAL', version: 2 });
    expect((await ask(REPORT, { input: lost, key: reportKey })).data!.reportPropertyStolen).toMatchObject({
      vin: lost.vehicle.vin,
      version: 1,
    });
    expect((await ask(BY_VIN, { vin: lost.vehicle.vin }, OTHER)).data!.vehicleByVin).toMatchObject({ version: 1 });
    expect((await verifyChains(db, subgraph.auditKey)).filter((verdict) => verdict.broken !== null)).toEqual([]);
  });
});
