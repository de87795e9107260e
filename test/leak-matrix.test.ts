import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../lib/authz/scopes.ts';
import { normaliseName } from '../subgraphs/kit/input/normalise.ts';
import { devAuditKey } from '../subgraphs/kit/audit/load-audit-key.ts';
import { CursorSealer } from '../subgraphs/kit/rows/cursor-sealer.ts';
import { encodeCursor } from '../subgraphs/kit/rows/pagination.ts';
import { type GraphqlResponse, graphql } from './support/graphql-client.ts';
import { askSubgraph } from './support/identity.ts';
import { callerOfPartner, type Partner, pickPartners, pickTargets, type Target, viewerOfPartner } from './support/leak-cast.ts';
import { canSee, type RowViewer } from './support/row-oracle.ts';
import { readSeededTruth, type SeededTruth, type TruthRow } from './support/seeded-truth.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// Partners × seeded records of every release mode × every way a record can be reached through the
// gateway. Each cell is judged by the plain-TypeScript oracle (support/row-oracle.ts) over the seed's
// own rows, never by the SQL under test; a hidden record must answer exactly like a missing one.
// Partners and records are picked from the seed before the tests are declared (vitest collects them
// synchronously), which is why the seed is read twice: here and by the stack.
const truth: SeededTruth = await readSeededTruth();
const targets = pickTargets(truth);
const partners = pickPartners(targets);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
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

/** A path that answers one record: the answer for a hidden record must equal the one for a missing key. */
async function lookup(partner: Partner, visible: boolean, query: string, present: Vars, missing: Vars, found: (data: any) => unknown) {
  const response = await ask(partner, query, present);
  if (visible) {
    expect(response.errors, query).toBeUndefined();
    expect(found(response.data), query).toBeTruthy();
  } else {
    expect(response, query).toEqual(await ask(partner, query, missing));
  }
}

/**
 * A path that answers a list: its ids must be exactly the visible ones among `matching` (or, with a
 * cursor, start at the target iff visible), and its count must count only those.
 */
async function list(
  partner: Partner,
  viewer: RowViewer | null,
  query: string,
  variables: Vars,
  field: (data: any) => any,
  matching: TruthRow[],
  target: string | null,
  parentVisible = true,
) {
  const response = await ask(partner, query, variables);
  if (viewer === null) {
    // No token: the field rules refuse every list before any row is read; nothing differs by record.
    expect(response.errors?.length, query).toBeGreaterThan(0);
    return expect(field(response.data) ?? null, query).toBeNull();
  }
  expect(response.errors, query).toBeUndefined();
  const page = field(response.data);
  // A list under a hidden parent (a case's subjects) is reached no further than the parent.
  if (!parentVisible) return expect(page ?? null, `${query}: hidden parent`).toBeNull();
  const shown = matching.filter((row) => canSee(viewer, row)).map((row) => row.id);
  expect(page.totalCount, `${query} count`).toBe(shown.length);
  const ids = page.nodes.map((node: any) => node.id ?? node.caseNumber);
  if (target === null || ids.length < shown.length || page.pageInfo?.hasNextPage) {
    if (target !== null) expect(ids[0] === target, `${query} starts at ${target}`).toBe(shown.includes(target));
  } else {
    expect(ids, query).toEqual(shown);
  }
}

const personPaths = (partner: Partner, viewer: RowViewer | null, row: TruthRow, visible: boolean) => [
  () =>
    lookup(
      partner,
      visible,
      'query($id: ID!) { wantedPerson(id: $id) { id } }',
      { id: row.id },
      { id: 'W999999999' },
      (data) => data.wantedPerson?.id === row.id,
    ),
  () => {
    const words = normaliseName(row.family_name).split(' ');
    const matching = truth.persons.filter((person) => words.every((word) => person.search_text.includes(word)));
    return list(
      partner,
      viewer,
      'query($n: String!) { searchWantedPersons(name: $n, first: 100) { totalCount nodes { id } } }',
      { n: row.family_name },
      (d) => d?.searchWantedPersons,
      matching,
      null,
    );
  },
  () => {
    const matching = truth.persons.filter((person) => person.notice_type === row.notice_type && person.status === row.status);
    const query =
      'query($t: NoticeType!, $s: WantedStatus, $a: String) { wantedPersonsByNotice(noticeType: $t, status: $s, first: 1, after: $a) { totalCount pageInfo { hasNextPage } nodes { id } } }';
    return list(
      partner,
      viewer,
      query,
      { t: row.notice_type, s: row.status, a: cursorAt('wanted-persons', before(row.id)) },
      (d) => d?.wantedPersonsByNotice,
      matching,
      row.id,
    );
  },
  () => {
    const cases = (truth.casesOfPerson.get(row.id) ?? []).map((n) => CASES.get(n)!);
    const query = 'query($id: ID!) { wantedPerson(id: $id) { cases(first: 100) { totalCount nodes { caseNumber } } } }';
    return visible
      ? list(partner, viewer, query, { id: row.id }, (d) => d?.wantedPerson?.cases, cases, null)
      : lookup(partner, false, query, { id: row.id }, { id: 'W999999999' }, () => false);
  },
  ...(truth.casesOfPerson.get(row.id) ?? []).slice(0, 2).map((caseNumber) => () => {
    const subjects = truth.subjectsOf.get(caseNumber)!.map((id) => PERSONS.get(id)!);
    const query = 'query($n: ID!) { case(caseNumber: $n) { subjects(first: 100) { totalCount nodes { id } } } }';
    return list(
      partner,
      viewer,
      query,
      { n: caseNumber },
      (d) => d?.case?.subjects ?? null,
      subjects,
      null,
      canSee(viewer, CASES.get(caseNumber)!),
    );
  }),
];

const KEY_PATHS: Record<string, (row: TruthRow) => { query: string; present: Vars; missing: Vars; field: string } | null> = {
  VEHICLE: (row) => ({
    query: 'query($v: String!) { vehicleByVin(vin: $v) { id } }',
    present: { v: row.vin },
    missing: { v: '1M8GDM9AXKP042788' },
    field: 'vehicleByVin',
  }),
  TRAVEL_DOCUMENT: (row) => ({
    query: 'query($n: String!, $c: String!) { travelDocument(documentNumber: $n, issuingCountry: $c) { id } }',
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
  return [
    () =>
      lookup(
        partner,
        visible,
        'query($id: ID!) { propertyItem(id: $id) { id } }',
        { id: row.id },
        { id: 'V999999999' },
        (data) => data.propertyItem?.id === row.id,
      ),
    ...(key ? [() => lookup(partner, visible, key.query, key.present, key.missing, (data) => data[key.field]?.id === row.id)] : []),
    ...(row.kind === 'VEHICLE'
      ? [
          () =>
            list(
              partner,
              viewer,
              'query($p: String!) { vehiclesByPlate(plate: $p, first: 100) { totalCount nodes { id } } }',
              { p: row.plate },
              (d) => d?.vehiclesByPlate,
              truth.property.filter((item) => item.plate_norm === row.plate_norm),
              null,
            ),
        ]
      : []),
    ...(row.kind === 'FIREARM'
      ? [
          () =>
            list(
              partner,
              viewer,
              'query($s: String!) { firearmsBySerial(serialNumber: $s, first: 100) { totalCount nodes { id } } }',
              { s: row.serial_number },
              (d) => d?.firearmsBySerial,
              truth.property.filter((item) => item.serial_norm === row.serial_norm),
              null,
            ),
        ]
      : []),
    () => {
      const query =
        'query($k: PropertyKind, $j: String, $a: String) { searchProperty(kind: $k, jurisdiction: $j, first: 1, after: $a) { totalCount pageInfo { hasNextPage } nodes { id } } }';
      const matching = truth.property.filter((item) => item.kind === row.kind && covers(item.jurisdiction));
      return list(
        partner,
        viewer,
        query,
        { k: row.kind, j: row.jurisdiction, a: cursorAt('stolen-property', before(row.id)) },
        (d) => d?.searchProperty,
        matching,
        row.id,
      );
    },
    () =>
      list(
        partner,
        viewer,
        'query($a: String) { searchProperty(first: 1, after: $a) { totalCount pageInfo { hasNextPage } nodes { id } } }',
        { a: cursorAt('stolen-property', before(row.id)) },
        (d) => d?.searchProperty,
        truth.property,
        row.id,
      ),
    () => {
      const query = 'query($id: ID!) { propertyItem(id: $id) { id case { caseNumber } } }';
      if (!visible) return lookup(partner, false, query, { id: row.id }, { id: 'V999999999' }, () => false);
      const expected = caseNumber && canSee(viewer, CASES.get(caseNumber)!) ? { caseNumber } : null;
      return ask(partner, query, { id: row.id }).then((response) =>
        expect(response.data?.propertyItem, query).toEqual({ id: row.id, case: expected }),
      );
    },
    ...(caseNumber
      ? [
          () => {
            const items = truth.propertyOf.get(caseNumber)!.map((id) => ITEMS.get(id)!);
            const query = 'query($n: ID!) { case(caseNumber: $n) { relatedProperty(first: 100) { totalCount nodes { id } } } }';
            return list(
              partner,
              viewer,
              query,
              { n: caseNumber },
              (d) => d?.case?.relatedProperty ?? null,
              items,
              null,
              canSee(viewer, CASES.get(caseNumber)!),
            );
          },
        ]
      : []),
  ];
};

const casePaths = (partner: Partner, viewer: RowViewer | null, row: TruthRow, visible: boolean) => {
  const countryOrRegion = row.jurisdiction;
  const subject = (truth.subjectsOf.get(row.id) ?? [])[0];
  const item = (truth.propertyOf.get(row.id) ?? [])[0];
  return [
    () =>
      lookup(
        partner,
        visible,
        'query($n: ID!) { case(caseNumber: $n) { caseNumber } }',
        { n: row.id },
        { n: 'C999999999' },
        (data) => data.case?.caseNumber === row.id,
      ),
    () =>
      lookup(
        partner,
        visible,
        'query($n: ID!) { case(caseNumber: $n) { statusHistory { status } } }',
        { n: row.id },
        { n: 'C999999999' },
        (data) => data.case?.statusHistory.length === truth.historyLength.get(row.id),
      ),
    () => {
      const query =
        'query($j: String, $a: String) { cases(jurisdiction: $j, first: 1, after: $a) { totalCount pageInfo { hasNextPage } nodes { caseNumber } } }';
      const matching = truth.cases.filter((c) =>
        countryOrRegion.length === 2 ? c.jurisdiction.slice(0, 2) === countryOrRegion : c.jurisdiction === countryOrRegion,
      );
      return list(
        partner,
        viewer,
        query,
        { j: countryOrRegion, a: cursorAt('case-status', before(row.id)) },
        (d) => d?.cases,
        matching,
        row.id,
      );
    },
    () =>
      list(
        partner,
        viewer,
        'query($a: String) { cases(first: 1, after: $a) { totalCount pageInfo { hasNextPage } nodes { caseNumber } } }',
        { a: cursorAt('case-status', before(row.id)) },
        (d) => d?.cases,
        truth.cases,
        row.id,
      ),
    ...(subject
      ? [
          () => {
            const cases = truth.casesOfPerson.get(subject)!.map((n) => CASES.get(n)!);
            const query = 'query($id: ID!) { wantedPerson(id: $id) { cases(first: 100) { totalCount nodes { caseNumber } } } }';
            return list(
              partner,
              viewer,
              query,
              { id: subject },
              (d) => d?.wantedPerson?.cases ?? null,
              cases,
              null,
              canSee(viewer, PERSONS.get(subject)!),
            );
          },
        ]
      : []),
    ...(item && canSee(viewer, ITEMS.get(item)!)
      ? [
          () =>
            ask(partner, 'query($id: ID!) { propertyItem(id: $id) { case { caseNumber } } }', { id: item }).then((response) => {
              const latest = truth.caseOfProperty.get(item)!;
              expect(response.data?.propertyItem.case).toEqual(canSee(viewer, CASES.get(latest)!) ? { caseNumber: latest } : null);
            }),
        ]
      : []),
  ];
};

const PATHS = { person: personPaths, property: propertyPaths, case: casePaths };
const label = (target: Target) =>
  `${target.kind} ${target.row.id} (${target.row.release_mode}, ${target.row.jurisdiction}, owner ${target.row.owning_agency})`;

describe.each(partners.map((partner) => [partner.name, partner] as const))('%s', (_, partner) => {
  const viewer = viewerOfPartner(partner);
  it.each(targets.map((target) => [label(target), target] as const))(
    '%s: visible exactly when the rules say, by every path',
    async (_, target) => {
      const visible = canSee(viewer, target.row);
      for (const path of PATHS[target.kind](partner, viewer, target.row, visible)) await path();
      // Entity references straight to the owning subgraph, as the gateway sends them.
      const [subgraph, representation, missing] = {
        person: ['wanted-persons', { __typename: 'WantedPerson', id: target.row.id }, { __typename: 'WantedPerson', id: 'W999999999' }],
        property: ['stolen-property', { __typename: 'PropertyItem', id: target.row.id }, { __typename: 'PropertyItem', id: 'V999999999' }],
        case: ['case-status', { __typename: 'Case', caseNumber: target.row.id }, { __typename: 'Case', caseNumber: 'C999999999' }],
      }[target.kind] as [string, object, object];
      const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
      const [present, absent] = await Promise.all(
        [representation, missing].map((r) => askSubgraph(stack.subgraphUrls[subgraph]!, query, { r: [r] }, callerOfPartner(partner))),
      );
      if (visible) expect(present!.data?._entities).toEqual([{ __typename: expect.any(String) }]);
      else expect(present).toEqual(absent);
    },
  );
});

describe('the matrix itself', () => {
  it('covers every release mode for every kind, and every partner sees some records and misses others', () => {
    expect(new Set(targets.map((target) => `${target.kind}:${target.row.release_mode}`)).size).toBe(12);
    for (const partner of partners.filter((p) => p.agency !== null && p.jurisdictions.length > 0 && !p.jurisdictions.includes('PT'))) {
      const seen = targets.map((target) => canSee(viewerOfPartner(partner), target.row));
      expect(seen, partner.name).toContain(true);
      expect(seen, partner.name).toContain(false);
    }
  });
});
