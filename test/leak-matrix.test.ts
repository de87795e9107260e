import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../lib/authz/scopes.ts';
import { normaliseName } from '../subgraphs/kit/input/normalise.ts';
import { devAuditKey } from '../subgraphs/kit/audit/load-audit-key.ts';
import { CursorSealer } from '../subgraphs/kit/rows/cursor-sealer.ts';
import { encodeCursor } from '../subgraphs/kit/rows/pagination.ts';
import { type GraphqlResponse, graphql } from './support/graphql-client.ts';
import { askSubgraph } from './support/identity.ts';
import {
  callerOfPartner,
  type Partner,
  pickPartners,
  pickReferenceSwitches,
  pickTargets,
  REFERENCE_OWNER,
  releasedAsReferences,
  type Target,
  viewerOfPartner,
} from './support/leak-cast.ts';
import { expectRecordViews, itemFields, type Path, RECORD_FIELDS as F, type RecordKind, type Sighting } from './support/record-views.ts';
import { releaseAsReference } from './support/release-as-reference.ts';
import { canSee, type RowViewer, seesAsReference } from './support/row-oracle.ts';
import { readSeededTruth, type SeededTruth, type TruthRow } from './support/seeded-truth.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// Partners × records of every release mode × every way a record can be reached through the gateway.
// Each cell is judged by the plain-TypeScript oracle (support/row-oracle.ts) over the seed's own rows,
// never by the SQL under test: a hidden record must answer exactly like a missing one, and a record
// released REFERENCE_ONLY (the seed has none: its owner switches some before the matrix runs) must
// show a partner its reference and nothing else, wherever it is reached. Partners and records are
// picked from the seed before the tests are declared (vitest collects them synchronously), which is
// why the seed is read twice: here and by the stack.
const seeded: SeededTruth = await readSeededTruth();
const switched = pickReferenceSwitches(seeded);
const truth = releasedAsReferences(seeded, switched);
const targets = pickTargets(truth);
const partners = pickPartners(targets);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  const owner = partners.find((partner) => partner.agency === REFERENCE_OWNER)!;
  await releaseAsReference((query, variables) => ask(owner, query, variables), switched);
});
afterAll(() => stack?.close());

const headersOf = new Map<string, Promise<Record<string, string>>>();
function ask(partner: Partner, query: string, variables: Record<string, unknown>): Promise<GraphqlResponse> {
  if (!headersOf.has(partner.name)) {
    const claims = { agency: partner.agency!, subject: `leak-${partner.agency}`, scopes: ALL_SCOPES, jurisdictions: partner.jurisdictions };
    headersOf.set(partner.name, partner.agency ? bearer(claims) : Promise.resolve({}));
  }
  return headersOf.get(partner.name)!.then((headers) => graphql(stack.gatewayUrl, query, variables, headers));
}

type Vars = Record<string, unknown>;

/** The cursor `subgraph` issues for a page ending at `key`, sealed as the stack's subgraphs seal (their development audit keys). */
const cursorAt = (subgraph: string, key: string) => CursorSealer.forSubgraph(devAuditKey(subgraph), subgraph).seal(encodeCursor(key));

/** The id just before `id` in key order: a cursor naming it makes `id` the first row of the next page. */
const before = (id: string) => `${id[0]}${String(Number(id.slice(1)) - 1).padStart(9, '0')}`;
const ownershipOf = (rows: TruthRow[]) => new Map(rows.map((row) => [row.id, row]));
const PERSONS = ownershipOf(truth.persons);
const ITEMS = ownershipOf(truth.property);
const CASES = ownershipOf(truth.cases);

/** A path that answers one record: as the viewer must see it (`shown`), or, hidden, exactly as a missing key. */
async function lookup(partner: Partner, viewer: RowViewer | null, shown: Sighting[] | null, query: string, present: Vars, missing: Vars) {
  const response = await ask(partner, query, present);
  if (shown) expectRecordViews(response, viewer!, shown, query);
  else expect(response, query).toEqual(await ask(partner, query, missing));
  return response;
}

/**
 * A path that answers a list at `at`: its ids must be exactly the visible ones among `matching` (or, with
 * a cursor, start at the target iff visible), its count must count only those, and each node must be
 * what the viewer sees of it. Under a `parent` (a case's subjects), the list is reached no further than
 * the parent: not at all under a hidden one, and not when the parent's reference withholds it.
 */
async function list(
  partner: Partner,
  viewer: RowViewer | null,
  query: string,
  variables: Vars,
  at: Path,
  kind: RecordKind,
  matching: TruthRow[],
  target: string | null,
  parent?: Sighting,
) {
  const response = await ask(partner, query, variables);
  const page = at.reduce<any>((value, key) => value?.[key], response.data);
  if (viewer === null) {
    // No token: the field rules refuse every list before any row is read; nothing differs by record.
    expect(response.errors?.length, query).toBeGreaterThan(0);
    return expect(page ?? null, query).toBeNull();
  }
  if (parent && !canSee(viewer, parent.row)) {
    expect(response.errors, query).toBeUndefined();
    return expect(page ?? null, `${query}: hidden parent`).toBeNull();
  }
  const shown = matching.filter((row) => canSee(viewer, row)).map((row) => row.id);
  const rows = new Map(matching.map((row) => [row.id, row]));
  const ids: string[] = (page?.nodes ?? []).map((node: any) => node.id ?? node.caseNumber);
  expect(
    ids.filter((id) => !shown.includes(id)),
    `${query}: only records it may see`,
  ).toEqual([]);
  const nodes = ids.map((id, i): Sighting => ({ at: [...at, 'nodes', i], kind, row: rows.get(id)! }));
  expectRecordViews(response, viewer, [...(parent ? [parent] : []), ...nodes], query);
  if (parent?.withheld?.length && seesAsReference(viewer, parent.row)) return;
  expect(page.totalCount, `${query} count`).toBe(shown.length);
  if (target === null || ids.length < shown.length || page.pageInfo?.hasNextPage) {
    if (target !== null) expect(ids[0] === target, `${query} starts at ${target}`).toBe(shown.includes(target));
  } else {
    expect(ids, query).toEqual(shown);
  }
}

/** An item and the case it was last linked to, each as the viewer sees it (the case only if it may). */
async function itemWithCase(partner: Partner, viewer: RowViewer, item: TruthRow) {
  const query = `query($id: ID!) { propertyItem(id: $id) { ${F.property} case { ${F.case} } } }`;
  const latest = CASES.get(truth.caseOfProperty.get(item.id) ?? '');
  const response = await ask(partner, query, { id: item.id });
  const linked = latest && canSee(viewer, latest) ? [{ at: ['propertyItem', 'case'], kind: 'case' as const, row: latest }] : [];
  expectRecordViews(response, viewer, [{ at: ['propertyItem'], kind: 'property', row: item }, ...linked], query);
  if (!linked.length) expect(response.data?.propertyItem.case, query).toBeNull();
}

/** A case's subjects or related property, each as the viewer sees it, under the case as it sees it. */
function caseList(partner: Partner, viewer: RowViewer | null, caseNumber: string, field: 'subjects' | 'relatedProperty') {
  const [kind, links, rows] =
    field === 'subjects' ? (['person', truth.subjectsOf, PERSONS] as const) : (['property', truth.propertyOf, ITEMS] as const);
  const query = `query($n: ID!) { case(caseNumber: $n) { ${F.case} ${field}(first: 100) { totalCount nodes { ${F[kind]} } } } }`;
  const linked = (links.get(caseNumber) ?? []).map((id) => rows.get(id)!);
  const parent = { at: ['case'], kind: 'case' as const, row: CASES.get(caseNumber)!, withheld: [field] };
  return list(partner, viewer, query, { n: caseNumber }, ['case', field], kind, linked, null, parent);
}

const personPaths = (partner: Partner, viewer: RowViewer | null, row: TruthRow, visible: boolean) => {
  const shown = visible ? [{ at: ['wantedPerson'], kind: 'person' as const, row }] : null;
  const missing = { id: 'W999999999' };
  return [
    () => lookup(partner, viewer, shown, `query($id: ID!) { wantedPerson(id: $id) { ${F.person} } }`, { id: row.id }, missing),
    () => {
      const words = normaliseName(row.family_name).split(' ');
      const matching = truth.persons.filter((person) => words.every((word) => person.search_text.includes(word)));
      const query = `query($n: String!) { searchWantedPersons(name: $n, first: 100) { totalCount nodes { ${F.person} } } }`;
      return list(partner, viewer, query, { n: row.family_name }, ['searchWantedPersons'], 'person', matching, null);
    },
    () => {
      const matching = truth.persons.filter((person) => person.notice_type === row.notice_type && person.status === row.status);
      const query = `query($t: NoticeType!, $s: WantedStatus, $a: String) { wantedPersonsByNotice(noticeType: $t, status: $s, first: 1, after: $a) {
        totalCount pageInfo { hasNextPage } nodes { ${F.person} } } }`;
      const variables = { t: row.notice_type, s: row.status, a: cursorAt('wanted-persons', before(row.id)) };
      return list(partner, viewer, query, variables, ['wantedPersonsByNotice'], 'person', matching, row.id);
    },
    () => {
      // Which cases a person is a subject of is said by the cases, under their release, even of a reference.
      const cases = (truth.casesOfPerson.get(row.id) ?? []).map((n) => CASES.get(n)!);
      const query = `query($id: ID!) { wantedPerson(id: $id) { ${F.person} cases(first: 100) { totalCount nodes { ${F.case} } } } }`;
      return shown
        ? list(partner, viewer, query, { id: row.id }, ['wantedPerson', 'cases'], 'case', cases, null, shown[0])
        : lookup(partner, viewer, null, query, { id: row.id }, missing);
    },
    ...(truth.casesOfPerson.get(row.id) ?? []).slice(0, 2).map((caseNumber) => () => caseList(partner, viewer, caseNumber, 'subjects')),
  ];
};

const KEY_PATHS: Record<string, (row: TruthRow) => { query: string; present: Vars; missing: Vars; field: string } | null> = {
  VEHICLE: (row) => ({
    query: `query($v: String!) { vehicleByVin(vin: $v) { ${itemFields('VEHICLE')} } }`,
    present: { v: row.vin },
    missing: { v: '1M8GDM9AXKP042788' },
    field: 'vehicleByVin',
  }),
  TRAVEL_DOCUMENT: (row) => ({
    query: `query($n: String!, $c: String!) { travelDocument(documentNumber: $n, issuingCountry: $c) { ${itemFields('TRAVEL_DOCUMENT')} } }`,
    present: { n: row.document_number, c: row.issuing_country },
    missing: { n: 'ZZ0000000', c: row.issuing_country },
    field: 'travelDocument',
  }),
  FIREARM: () => null,
  ARTWORK: () => null,
};

const propertyPaths = (partner: Partner, viewer: RowViewer | null, row: TruthRow, visible: boolean) => {
  const key = KEY_PATHS[row.kind]!(row);
  const caseNumber = truth.caseOfProperty.get(row.id);
  const covers = (j: string) => j === row.jurisdiction || (row.jurisdiction.length === 2 && j.startsWith(`${row.jurisdiction}-`));
  const shown = (at: string) => (visible ? [{ at: [at], kind: 'property' as const, row }] : null);
  const missing = { id: 'V999999999' };
  const byValue = (field: string, argument: string, value: string, matching: TruthRow[]) => () =>
    list(
      partner,
      viewer,
      `query($v: String!) { ${field}(${argument}: $v, first: 100) { totalCount nodes { ${itemFields(row.kind)} } } }`,
      { v: value },
      [field],
      'property',
      matching,
      null,
    );
  const searchPage = (variables: Vars, matching: TruthRow[]) => () =>
    list(
      partner,
      viewer,
      `query($k: PropertyKind, $j: String, $a: String) { searchProperty(kind: $k, jurisdiction: $j, first: 1, after: $a) {
        totalCount pageInfo { hasNextPage } nodes { ${F.property} } } }`,
      { ...variables, a: cursorAt('stolen-property', before(row.id)) },
      ['searchProperty'],
      'property',
      matching,
      row.id,
    );
  return [
    () =>
      lookup(
        partner,
        viewer,
        shown('propertyItem'),
        `query($id: ID!) { propertyItem(id: $id) { ${F.property} } }`,
        { id: row.id },
        missing,
      ),
    ...(key ? [() => lookup(partner, viewer, shown(key.field), key.query, key.present, key.missing)] : []),
    ...(row.kind === 'VEHICLE'
      ? [
          byValue(
            'vehiclesByPlate',
            'plate',
            row.plate,
            truth.property.filter((item) => item.plate_norm === row.plate_norm),
          ),
        ]
      : []),
    ...(row.kind === 'FIREARM'
      ? [
          byValue(
            'firearmsBySerial',
            'serialNumber',
            row.serial_number,
            truth.property.filter((item) => item.serial_norm === row.serial_norm),
          ),
        ]
      : []),
    searchPage(
      { k: row.kind, j: row.jurisdiction },
      truth.property.filter((item) => item.kind === row.kind && covers(item.jurisdiction)),
    ),
    searchPage({}, truth.property),
    () =>
      visible
        ? itemWithCase(partner, viewer!, row)
        : lookup(partner, viewer, null, `query($id: ID!) { propertyItem(id: $id) { id case { caseNumber } } }`, { id: row.id }, missing),
    ...(caseNumber ? [() => caseList(partner, viewer, caseNumber, 'relatedProperty')] : []),
  ];
};

const casePaths = (partner: Partner, viewer: RowViewer | null, row: TruthRow, visible: boolean) => {
  const countryOrRegion = row.jurisdiction;
  const subject = (truth.subjectsOf.get(row.id) ?? [])[0];
  const item = (truth.propertyOf.get(row.id) ?? []).map((id) => ITEMS.get(id)!).find((linked) => canSee(viewer, linked));
  const shown = (withheld: string[] = []) => (visible ? [{ at: ['case'], kind: 'case' as const, row, withheld }] : null);
  const missing = { n: 'C999999999' };
  const casesPage = (variables: Vars, matching: TruthRow[]) => () =>
    list(
      partner,
      viewer,
      `query($j: String, $a: String) { cases(jurisdiction: $j, first: 1, after: $a) { totalCount pageInfo { hasNextPage } nodes { ${F.case} } } }`,
      { ...variables, a: cursorAt('case-status', before(row.id)) },
      ['cases'],
      'case',
      matching,
      row.id,
    );
  return [
    () => lookup(partner, viewer, shown(), `query($n: ID!) { case(caseNumber: $n) { ${F.case} } }`, { n: row.id }, missing),
    async () => {
      const query = `query($n: ID!) { case(caseNumber: $n) { ${F.case} statusHistory { status } } }`;
      const response = await lookup(partner, viewer, shown(['statusHistory']), query, { n: row.id }, missing);
      if (visible && !seesAsReference(viewer, row)) expect(response.data?.case.statusHistory.length).toBe(truth.historyLength.get(row.id));
    },
    casesPage(
      { j: countryOrRegion },
      truth.cases.filter((c) =>
        countryOrRegion.length === 2 ? c.jurisdiction.slice(0, 2) === countryOrRegion : c.jurisdiction === countryOrRegion,
      ),
    ),
    casesPage({}, truth.cases),
    ...(subject
      ? [
          () => {
            const cases = truth.casesOfPerson.get(subject)!.map((n) => CASES.get(n)!);
            const query = `query($id: ID!) { wantedPerson(id: $id) { ${F.person} cases(first: 100) { totalCount nodes { ${F.case} } } } }`;
            const parent = { at: ['wantedPerson'], kind: 'person' as const, row: PERSONS.get(subject)! };
            return list(partner, viewer, query, { id: subject }, ['wantedPerson', 'cases'], 'case', cases, null, parent);
          },
        ]
      : []),
    () => caseList(partner, viewer, row.id, 'subjects'),
    () => caseList(partner, viewer, row.id, 'relatedProperty'),
    ...(item ? [() => itemWithCase(partner, viewer!, item)] : []),
  ];
};

const PATHS = { person: personPaths, property: propertyPaths, case: casePaths };
const ENTITIES = {
  person: ['wanted-persons', 'WantedPerson', 'id', 'W999999999'],
  property: ['stolen-property', 'PropertyItem', 'id', 'V999999999'],
  case: ['case-status', 'Case', 'caseNumber', 'C999999999'],
} as const;
const label = (target: Target) =>
  `${target.kind} ${target.row.id} (${target.row.release_mode}, ${target.row.jurisdiction}, owner ${target.row.owning_agency})`;

describe.each(partners.map((partner) => [partner.name, partner] as const))('%s', (_, partner) => {
  const viewer = viewerOfPartner(partner);
  it.each(targets.map((target) => [label(target), target] as const))(
    '%s: visible exactly when the rules say, and as much as they say, by every path',
    async (_, { kind, row }) => {
      const visible = canSee(viewer, row);
      // Entity references straight to the owning subgraph, as the gateway sends them.
      const [subgraph, typename, key, missing] = ENTITIES[kind];
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${typename} { ${F[kind]} } } }`;
      const entities = async () => {
        const [present, absent] = await Promise.all(
          [row.id, missing].map((id) =>
            askSubgraph(stack.subgraphUrls[subgraph]!, query, { r: [{ __typename: typename, [key]: id }] }, callerOfPartner(partner)),
          ),
        );
        if (visible) expectRecordViews(present!, viewer!, [{ at: ['_entities', 0], kind, row }], query);
        else expect(present).toEqual(absent);
      };
      // The paths only read, so they go together: the matrix grows with every mode and path.
      await Promise.all([...PATHS[kind](partner, viewer, row, visible), entities].map((path) => path()));
    },
  );
});

describe('the matrix itself', () => {
  it('covers every release mode for every kind, and every partner sees some records and misses others', () => {
    expect(new Set(targets.map((target) => `${target.kind}:${target.row.release_mode}`)).size).toBe(15);
    for (const partner of partners.filter((p) => p.agency !== null && p.jurisdictions.length > 0 && !p.jurisdictions.includes('PT'))) {
      const seen = targets.map((target) => canSee(viewerOfPartner(partner), target.row));
      expect(seen, partner.name).toContain(true);
      expect(seen, partner.name).toContain(false);
    }
  });

  it('targets every record its owner released REFERENCE_ONLY, which some partners see as references and the owner in full', () => {
    const references = targets.filter((target) => target.row.release_mode === 'REFERENCE_ONLY');
    expect(references.map((target) => target.row.id)).toEqual(switched.map((target) => target.row.id));
    for (const { row } of references) {
      const viewers = partners.map(viewerOfPartner).filter((viewer) => canSee(viewer, row));
      expect(viewers.filter((viewer) => seesAsReference(viewer, row)).length, row.id).toBeGreaterThan(0);
      expect(
        viewers.filter((viewer) => !seesAsReference(viewer, row)).map((viewer) => viewer!.agency),
        row.id,
      ).toEqual([row.owning_agency]);
    }
  });
});
