import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph, FULL_ACCESS } from '../../test/support/identity.ts';
import { viewerOf, visibleSeeded } from '../../test/support/row-oracle.ts';
import { personId, propertyId, SEED_COUNTS } from '../kit/index.ts';
import { CASE_STATUSES } from './seed-text.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { buildServer } from './server.ts';

interface SeededCase {
  caseNumber: string;
  subjects: { nodes: { id: string }[] };
  relatedProperty: { nodes: { id: string }[] };
}

describe.each(ENGINES)('case-status subgraph on %s', (engine) => {
  let subgraph: TestSubgraph;
  let seeded: SeededCase[];
  const query = (text: string, variables?: Record<string, unknown>) => askSubgraph(subgraph.url, text, variables);
  const entities = (representations: object[], selection: string) =>
    query(`query ($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`, { r: representations });

  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'case_status');
    seeded = [];
    for (let after: string | null = null, more = true; more;) {
      const { data } = await query(
        `query ($after: String) { cases(first: 100, after: $after) { pageInfo { endCursor hasNextPage }
          nodes { caseNumber subjects(first: 10) { nodes { id } } relatedProperty(first: 10) { nodes { id } } } } }`,
        { after },
      );
      seeded.push(...data!.cases.nodes);
      ({ endCursor: after, hasNextPage: more } = data!.cases.pageInfo);
    }
  });
  afterAll(() => subgraph?.stop());

  it('returns a case by number with its status history oldest first', async () => {
    const { data } = await query(`{ case(caseNumber: "c000000001") { caseNumber status leadAgency owningAgency openedAt updatedAt
      provenance { sourceSubgraph } statusHistory { status changedAt changedBy reason } } }`);
    const found = data!.case;
    expect(found).toMatchObject({
      caseNumber: 'C000000001',
      owningAgency: found.leadAgency,
      provenance: { sourceSubgraph: 'case-status' },
    });
    const history: { status: string; changedAt: string; reason: string }[] = found.statusHistory;
    expect(history.map((change) => change.status)).toEqual(CASE_STATUSES.slice(0, history.length));
    expect(history.at(-1)).toMatchObject({ status: found.status, changedAt: found.updatedAt });
    expect(history[0]!.changedAt).toBe(found.openedAt);
    expect(history.map((change) => change.changedAt)).toEqual(history.map((change) => change.changedAt).sort());
    expect(history.every((change) => change.reason.length > 0)).toBe(true);
  });

  it('answers null for an unknown case', async () => {
    expect((await query('{ case(caseNumber: "C999999999") { title } }')).data).toEqual({ case: null });
  });

  it('pages through a filtered list without overlap, in case-number order', async () => {
    const seen: string[] = [];
    let totalCount = 0;
    for (let after: string | null = null, more = true; more;) {
      const { data } = await query(
        `query ($after: String) { cases(status: OPEN, first: 7, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { caseNumber status } } }`,
        { after },
      );
      expect(data!.cases.nodes.every((node: { status: string }) => node.status === 'OPEN')).toBe(true);
      seen.push(...data!.cases.nodes.map((node: { caseNumber: string }) => node.caseNumber));
      ({ totalCount } = data!.cases);
      ({ endCursor: after, hasNextPage: more } = data!.cases.pageInfo);
    }
    expect(seen.length).toBeGreaterThan(7);
    expect(seen).toHaveLength(totalCount);
    expect(seen).toEqual([...new Set(seen)].sort());
  });

  it('filters by lead agency and by jurisdiction, a country including its regions', async () => {
    const { data } = await query(`{ lead: cases(leadAgency: "frpn00001", first: 100) { totalCount nodes { leadAgency } }
      country: cases(jurisdiction: "fr", first: 100) { totalCount nodes { jurisdiction } }
      region: cases(jurisdiction: "FR-IDF", first: 100) { totalCount nodes { jurisdiction } } }`);
    expect(data!.lead.totalCount).toBeGreaterThan(0);
    expect(new Set(data!.lead.nodes.map((node: { leadAgency: string }) => node.leadAgency))).toEqual(new Set(['FRPN00001']));
    const countryCodes = new Set<string>(data!.country.nodes.map((node: { jurisdiction: string }) => node.jurisdiction));
    expect([...countryCodes].every((code) => code === 'FR' || code.startsWith('FR-'))).toBe(true);
    expect(countryCodes.size).toBeGreaterThan(1);
    expect(data!.region.totalCount).toBeGreaterThan(0);
    expect(data!.region.totalCount).toBeLessThan(data!.country.totalCount);
    expect(new Set(data!.region.nodes.map((node: { jurisdiction: string }) => node.jurisdiction))).toEqual(new Set(['FR-IDF']));
  });

  it.each([
    ['first: 101', 'first'],
    ['after: "not-a-cursor"', 'after'],
    ['leadAgency: "FRPN"', 'leadAgency'],
    ['jurisdiction: "France"', 'jurisdiction'],
  ])('refuses cases(%s) with BAD_USER_INPUT', async (args, field) => {
    const { data, errors } = await query(`{ cases(${args}) { totalCount } }`);
    expect(data).toEqual({ cases: null });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses a bad page of a nested connection with BAD_USER_INPUT', async () => {
    const { errors } = await query('{ case(caseNumber: "C000000001") { subjects(first: 0) { totalCount } } }');
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('links subjects and property to seeded records, each item to at most one case', () => {
    const persons = seeded.flatMap((found) => found.subjects.nodes.map((node) => node.id));
    const items = seeded.flatMap((found) => found.relatedProperty.nodes.map((node) => node.id));
    // FULL_ACCESS sees the cases, subjects and items the row-rule oracle admits, and only those.
    const viewer = viewerOf(FULL_ACCESS);
    const visibleCases = visibleSeeded('case', viewer);
    expect(seeded.map((found) => found.caseNumber)).toEqual(visibleCases.map((index) => `C${String(index).padStart(9, '0')}`));
    expect(visibleCases.length).toBeLessThan(SEED_COUNTS.demo.cases);
    const visiblePersons = new Set(visibleSeeded('person', viewer).map((index) => personId(index)));
    const visibleItems = new Set(visibleSeeded('property', viewer).map((index) => propertyId(index)));
    expect(persons.every((id) => visiblePersons.has(id))).toBe(true);
    expect(items.every((id) => visibleItems.has(id))).toBe(true);
    expect(persons.length).toBeGreaterThan(SEED_COUNTS.demo.cases);
    expect(persons.every((id) => /^W\d{9}$/.test(id) && Number(id.slice(1)) <= SEED_COUNTS.demo.persons)).toBe(true);
    expect(items.length).toBeGreaterThan(SEED_COUNTS.demo.cases);
    expect(items.every((id) => Number(id.slice(1)) <= SEED_COUNTS.demo.property && propertyId(Number(id.slice(1))) === id)).toBe(true);
    expect(new Set(items).size).toBe(items.length);
  });

  it('pages a case subjects with first and after', async () => {
    const caseNumber = seeded.find((found) => found.subjects.nodes.length >= 3)!.caseNumber;
    const page = `query ($n: ID!, $after: String) { case(caseNumber: $n) { subjects(first: 2, after: $after) { totalCount pageInfo { endCursor hasNextPage } nodes { id } } } }`;
    const first = (await query(page, { n: caseNumber })).data!.case.subjects;
    const second = (await query(page, { n: caseNumber, after: first.pageInfo.endCursor })).data!.case.subjects;
    expect(first).toMatchObject({ pageInfo: { hasNextPage: true }, nodes: [{}, {}] });
    expect([...first.nodes, ...second.nodes].map((node: { id: string }) => node.id)).toEqual(
      seeded.find((found) => found.caseNumber === caseNumber)!.subjects.nodes.map((node) => node.id),
    );
    expect(second.totalCount).toBe(first.totalCount);
  });

  it('resolves WantedPerson references to the cases they are subjects of', async () => {
    const casesOf = new Map<string, string[]>();
    for (const found of seeded) for (const { id } of found.subjects.nodes) casesOf.set(id, [...(casesOf.get(id) ?? []), found.caseNumber]);
    const [personId, expected] = [...casesOf].sort((a, b) => b[1].length - a[1].length)[0]!;
    const { data } = await entities(
      [
        { __typename: 'WantedPerson', id: personId },
        { __typename: 'WantedPerson', id: 'W999999999' },
      ],
      '... on WantedPerson { id cases(first: 100) { totalCount nodes { caseNumber } } }',
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(data!._entities).toEqual([
      { id: personId, cases: { totalCount: expected.length, nodes: expected.map((caseNumber) => ({ caseNumber })) } },
      { id: 'W999999999', cases: { totalCount: 0, nodes: [] } },
    ]);
  });

  it('resolves PropertyItem references to their linked case, or null', async () => {
    const linked = seeded.find((found) => found.relatedProperty.nodes.length > 0)!;
    const linkedIds = new Set(seeded.flatMap((found) => found.relatedProperty.nodes.map((node) => node.id)));
    const unlinked = Array.from({ length: 50 }, (_, index) => propertyId(index + 1)).find((id) => !linkedIds.has(id))!;
    const { data } = await entities(
      [linked.relatedProperty.nodes[0]!.id, unlinked].map((id) => ({ __typename: 'PropertyItem', id })),
      '... on PropertyItem { id case { caseNumber } }',
    );
    expect(data!._entities).toEqual([
      { id: linked.relatedProperty.nodes[0]!.id, case: { caseNumber: linked.caseNumber } },
      { id: unlinked, case: null },
    ]);
  });

  it('resolves Case references, null for unknown ones', async () => {
    const { data } = await entities(
      ['C000000002', 'C000009999'].map((caseNumber) => ({ __typename: 'Case', caseNumber })),
      '... on Case { caseNumber }',
    );
    expect(data!._entities).toEqual([{ caseNumber: 'C000000002' }, null]);
  });
});
