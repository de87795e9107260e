import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/databases.ts';
import type { GraphqlResponse } from '../../test/support/graphql-client.ts';
import { askSubgraph, FULL_ACCESS } from '../../test/support/identity.ts';
import { viewerOf, visibleSeeded } from '../../test/support/row-oracle.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { type PropertyKind, propertyKindOf } from '../kit/index.ts';
import { buildServer } from './server.ts';

const ITEM = `__typename id kind description reportedAt status jurisdiction provenance { sourceSubgraph }
  ... on Vehicle { vin plate registrationCountry make model colour }
  ... on TravelDocument { documentNumber issuingCountry documentType }
  ... on Firearm { serialNumber make }
  ... on Artwork { title artist }`;

// FULL_ACCESS owns nothing and is granted every demo country: it sees every item whose release
// decision admits it (not OWNER_ONLY, nor ONLY lists naming other agencies), by the row-rule oracle.
const visible = visibleSeeded('property', viewerOf(FULL_ACCESS));
const visibleOfKind = (kind: PropertyKind) => visible.filter((index) => propertyKindOf(index) === kind).length;

describe.each(ENGINES)('stolen-property subgraph on %s', (engine) => {
  let subgraph: TestSubgraph;
  let url: string;
  const ask = (query: string, variables?: Record<string, unknown>) => askSubgraph(url, query, variables);
  const item = async (id: string) => (await ask(`query($id: ID!) { propertyItem(id: $id) { ${ITEM} } }`, { id })).data?.propertyItem;
  const codeOf = (response: GraphqlResponse) => response.errors?.[0]?.extensions?.code;

  /** Follows searchProperty's cursors to the last page, collecting nodes; `check` sees every page. */
  async function everyPage<N>(args: string, selection: string, check?: (page: { totalCount: number }) => void): Promise<N[]> {
    const nodes: N[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages += 1) {
      const response: GraphqlResponse = await ask(
        `query($after: String) { searchProperty(${args}, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { ${selection} } } }`,
        { after },
      );
      const page = response.data?.searchProperty as {
        totalCount: number;
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        nodes: N[];
      };
      check?.(page);
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'stolen_property');
    url = subgraph.url;
  });
  afterAll(() => subgraph?.stop());

  it('finds each kind by id as its concrete type, and unknown ids as null', async () => {
    const vehicle = await item(' v000000010 ');
    expect(vehicle).toMatchObject({
      __typename: 'Vehicle',
      id: 'V000000010',
      kind: 'VEHICLE',
      provenance: { sourceSubgraph: 'stolen-property' },
    });
    expect(vehicle.vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    expect(vehicle.description).toBe(`${vehicle.make} ${vehicle.model}, ${vehicle.colour}, ${vehicle.plate}`);
    expect(new Date(vehicle.reportedAt).toISOString()).toBe(vehicle.reportedAt);
    expect(await item('D000000005')).toMatchObject({
      __typename: 'TravelDocument',
      kind: 'TRAVEL_DOCUMENT',
      documentNumber: expect.stringMatching(/^[A-Z0-9]{8,12}$/),
    });
    expect(await item('F000000007')).toMatchObject({ __typename: 'Firearm', kind: 'FIREARM', serialNumber: expect.any(String) });
    expect(await item('A000000009')).toMatchObject({ __typename: 'Artwork', kind: 'ARTWORK', title: expect.any(String) });
    expect(await item('V999999999')).toBeNull();
  });

  it('finds a vehicle by VIN whatever its case and separators, and refuses a malformed VIN', async () => {
    const { vin } = await item('V000000010');
    const spaced = `${vin.slice(0, 3)} ${vin.slice(3, 9)}-${vin.slice(9)}`.toLowerCase();
    const found = await ask('query($vin: String!) { vehicleByVin(vin: $vin) { id vin } }', { vin: spaced });
    expect(found.data?.vehicleByVin).toEqual({ id: 'V000000010', vin });
    expect((await ask('{ vehicleByVin(vin: "1M8GDM9AXKP042788") { id } }')).data?.vehicleByVin).toBeNull();
    for (const malformed of ['VF3ABC', 'VF3OOOOOOOOOOOOOO']) {
      const refused = await ask('query($vin: String!) { vehicleByVin(vin: $vin) { id } }', { vin: malformed });
      expect(refused.errors?.[0]).toMatchObject({ path: ['vehicleByVin'], extensions: { code: 'BAD_USER_INPUT', field: 'vin' } });
    }
  });

  it('finds vehicles by plate ignoring case and separators, narrowed by country', async () => {
    const { plate, registrationCountry } = await item('V000000010');
    const other = registrationCountry === 'FR' ? 'DE' : 'FR';
    const query =
      'query($plate: String!, $country: String) { vehiclesByPlate(plate: $plate, registrationCountry: $country) { totalCount nodes { id registrationCountry } } }';
    const bare = plate.replace(/[^A-Z0-9]/g, '').toLowerCase();
    const anywhere = (await ask(query, { plate: bare })).data?.vehiclesByPlate;
    expect(anywhere.nodes.map((node: { id: string }) => node.id)).toContain('V000000010');
    const home = (await ask(query, { plate: ` ${bare.split('').join('.')} `, country: registrationCountry.toLowerCase() })).data
      ?.vehiclesByPlate;
    expect(home.nodes).toContainEqual({ id: 'V000000010', registrationCountry });
    expect(home.nodes.every((node: { registrationCountry: string }) => node.registrationCountry === registrationCountry)).toBe(true);
    expect((await ask(query, { plate: bare, country: other })).data?.vehiclesByPlate.nodes).not.toContainEqual(
      expect.objectContaining({ id: 'V000000010' }),
    );
    expect(codeOf(await ask(query, { plate: bare, country: 'ESP' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ask(query, { plate: ' -- ' }))).toBe('BAD_USER_INPUT');
  });

  it('finds a travel document by number and issuing country', async () => {
    const { documentNumber, issuingCountry } = await item('D000000005');
    const query = 'query($n: String!, $c: String!) { travelDocument(documentNumber: $n, issuingCountry: $c) { id documentNumber } }';
    const loose = `${documentNumber.slice(0, 4)} ${documentNumber.slice(4)}`.toLowerCase();
    expect((await ask(query, { n: loose, c: issuingCountry.toLowerCase() })).data?.travelDocument).toEqual({
      id: 'D000000005',
      documentNumber,
    });
    expect((await ask(query, { n: documentNumber, c: issuingCountry === 'FR' ? 'DE' : 'FR' })).data?.travelDocument).toBeNull();
  });

  it('finds firearms by serial, told apart by make when serials repeat across makes', async () => {
    const firearms = await everyPage<{ id: string; serialNumber: string; make: string }>(
      'kind: FIREARM, first: 100',
      '... on Firearm { id serialNumber make }',
    );
    expect(firearms).toHaveLength(visibleOfKind('FIREARM'));
    expect(firearms.length, 'row rules hide some firearms').toBeLessThan(240);
    const shared = firearms.find((a) => firearms.some((b) => b.serialNumber === a.serialNumber && b.make !== a.make));
    expect(shared, 'the demo seed repeats some serials across makes').toBeDefined();
    const query = 'query($s: String!, $m: String) { firearmsBySerial(serialNumber: $s, make: $m) { totalCount nodes { id make } } }';
    const all = (await ask(query, { s: shared!.serialNumber.toLowerCase() })).data?.firearmsBySerial;
    expect(new Set(all.nodes.map((node: { make: string }) => node.make)).size).toBeGreaterThan(1);
    const oneMake = (await ask(query, { s: shared!.serialNumber, m: shared!.make.toUpperCase() })).data?.firearmsBySerial;
    expect(oneMake.nodes).toContainEqual({ id: shared!.id, make: shared!.make });
    expect(oneMake.nodes.every((node: { make: string }) => node.make === shared!.make)).toBe(true);
    expect(oneMake.totalCount).toBeLessThan(all.totalCount);
  });

  it('searches descriptions case- and accent-insensitively, with filters', async () => {
    const search = async (args: string) =>
      (await ask(`{ searchProperty(${args}, first: 100) { totalCount nodes { ${ITEM} } } }`)).data?.searchProperty;
    const plain = await search('text: "cezanne"');
    expect(plain.totalCount).toBeGreaterThan(0);
    expect(plain.nodes.every((node: { description: string }) => node.description.includes('Paul Cézanne'))).toBe(true);
    expect((await search('text: "  CÉZANNE "')).totalCount).toBe(plain.totalCount);
    const citroen = await search('text: "citroen c3", kind: VEHICLE');
    expect(citroen.nodes.length).toBeGreaterThan(0);
    expect(citroen.nodes.every((node: { description: string }) => node.description.startsWith('Citroën C3,'))).toBe(true);
    expect((await search('kind: ARTWORK')).totalCount).toBe(visibleOfKind('ARTWORK'));
    const recovered = await search('kind: ARTWORK, status: RECOVERED');
    expect(recovered.totalCount).toBeGreaterThan(0);
    expect(recovered.nodes.every((node: { kind: string; status: string }) => node.kind === 'ARTWORK' && node.status === 'RECOVERED')).toBe(
      true,
    );
    const france = await search('jurisdiction: "fr"');
    expect(new Set(france.nodes.map((node: { jurisdiction: string }) => node.jurisdiction))).toEqual(
      new Set(['FR', 'FR-IDF', 'FR-PAC', 'FR-ARA', 'FR-BRE', 'FR-OCC']),
    );
    const paris = await search('jurisdiction: "FR-IDF"');
    expect(paris.totalCount).toBeGreaterThan(0);
    expect(paris.totalCount).toBeLessThan(france.totalCount);
    expect(paris.nodes.every((node: { jurisdiction: string }) => node.jurisdiction === 'FR-IDF')).toBe(true);
    expect(codeOf(await ask('{ searchProperty(jurisdiction: "France") { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ask('{ searchProperty(text: "  ") { totalCount } }'))).toBe('BAD_USER_INPUT');
  });

  it('pages through everything by cursor without overlap, and lists all items without criteria', async () => {
    const vehicles = visibleOfKind('VEHICLE');
    const ids = (await everyPage<{ id: string }>('kind: VEHICLE, first: 50', 'id', (page) => expect(page.totalCount).toBe(vehicles))).map(
      (node) => node.id,
    );
    expect(ids).toHaveLength(vehicles);
    expect(new Set(ids).size).toBe(vehicles);
    expect(ids).toEqual([...ids].sort());
    expect((await ask('{ searchProperty { totalCount nodes { id } } }')).data?.searchProperty).toMatchObject({
      totalCount: visible.length,
      nodes: expect.arrayContaining([{ id: 'A000000009' }]),
    });
  });

  it('refuses page sizes outside 1..100 and cursors it did not issue', async () => {
    for (const first of [0, 101]) {
      const refused = await ask('query($first: Int) { searchProperty(first: $first) { totalCount } }', { first });
      expect(refused.errors?.[0]).toMatchObject({ path: ['searchProperty'], extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    }
    expect(codeOf(await ask('{ vehiclesByPlate(plate: "AB123CD", after: "not-a-cursor!") { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ask('{ firearmsBySerial(serialNumber: "X1", after: "bm9wZQ") { totalCount } }'))).toBe('BAD_USER_INPUT');
  });

  it('resolves PropertyItem entity references, as the case-status interfaceObject sends them, to concrete types', async () => {
    const ids = ['V000000010', 'D000000005', 'F000000007', 'A000000009', 'V999999999'];
    const representations = [
      ...ids.map((id) => ({ __typename: 'PropertyItem', id })),
      { __typename: 'Vehicle', id: 'D000000005' },
      { __typename: 'Firearm', id: 'F000000007' },
    ];
    const response = await ask(
      'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on PropertyItem { id provenance { sourceSubgraph } } } }',
      { r: representations },
    );
    expect(response.errors).toBeUndefined();
    expect(
      response.data?._entities.map((entity: { __typename: string; id: string } | null) => entity && `${entity.__typename}:${entity.id}`),
    ).toEqual([
      'Vehicle:V000000010',
      'TravelDocument:D000000005',
      'Firearm:F000000007',
      'Artwork:A000000009',
      null,
      null,
      'Firearm:F000000007',
    ]);
  });
});
