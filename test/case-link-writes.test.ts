import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { ENGINES } from './support/databases.ts';
import { askSubgraph } from './support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';
import { propertyId } from '../subgraphs/kit/index.ts';
import { buildServer as buildStolenProperty } from '../subgraphs/stolen-property/server.ts';
import { buildServer as buildWantedPersons } from '../subgraphs/wanted-persons/server.ts';
import {
  caseInput,
  key,
  LINK_PROPERTY,
  LINK_SUBJECT,
  OPEN,
  OTHER,
  OWNER,
  REFRESH,
  UNLINK_PROPERTY,
  UNLINK_SUBJECT,
  withFailingAudit,
  writesOf,
} from '../subgraphs/case-status/case-write-fixtures.ts';
import { buildServer } from '../subgraphs/case-status/server.ts';

const ISSUE =
  'mutation ($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }';
const AMEND_NOTICE =
  'mutation ($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) { amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id } }';

/** The owners of linked records, on PGlite, shared by both engines of case-status. */
let owners: Record<'wanted-persons' | 'stolen-property', TestSubgraph>;
const urls: Record<string, string> = {};
let visibleItem: string;
let hiddenItem: string;

/** A URL where nothing listens: connections are refused at once. */
async function deadUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/graphql`;
}

/** Issues a wanted notice in wanted-persons as `caller`; its id. */
async function issue(caller: Caller, jurisdiction: string, releasability?: Record<string, unknown>): Promise<string> {
  const input = {
    familyName: 'Linkable',
    givenNames: 'Lou',
    sex: 'UNKNOWN',
    noticeType: 'BLUE',
    jurisdiction,
    ...(releasability ? { releasability } : {}),
  };
  const response = await askSubgraph(owners['wanted-persons'].url, ISSUE, { input, key: key() }, caller);
  expect(response.errors).toBeUndefined();
  return response.data!.issueWantedNotice.id;
}

beforeAll(async () => {
  const [wanted, property] = await Promise.all([
    startTestSubgraph(buildWantedPersons, 'pglite', 'wanted'),
    startTestSubgraph(buildStolenProperty, 'pglite', 'property'),
  ]);
  owners = { 'wanted-persons': wanted, 'stolen-property': property };
  Object.assign(urls, { 'wanted-persons': wanted.url, 'stolen-property': property.url });
  const ids = Array.from({ length: 100 }, (_, index) => propertyId(index + 1));
  const seen = await askSubgraph(
    property.url,
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on PropertyItem { id } } }',
    { r: ids.map((id) => ({ __typename: 'PropertyItem', id })) },
    OWNER,
  );
  const entities = seen.data!._entities as ({ id: string } | null)[];
  visibleItem = ids[0]!;
  expect(entities[0]).toEqual({ id: visibleItem });
  hiddenItem = ids[entities.indexOf(null)]!;
  expect(hiddenItem).toBeDefined();
});
afterAll(() => Promise.all(Object.values(owners ?? {}).map((owner) => owner.stop())));

describe.each(ENGINES)('case links on %s', (engine) => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph((options) => buildServer({ ...options, subgraphUrl: (name) => urls[name] }), engine, 'case_links');
  });
  afterAll(() => subgraph?.stop());

  const ask = (query: string, variables: Record<string, unknown>, caller: Caller = OWNER) =>
    askSubgraph(subgraph.url, query, variables, caller);
  const open = async () => (await ask(OPEN, { input: caseInput(), key: key() })).data!.openCase.caseNumber as string;
  const link = (document: string, c: string, v: number, id: string, idempotencyKey = key(), caller: Caller = OWNER) =>
    ask(document, { c, v, id, key: idempotencyKey }, caller);
  const subjectsOf = async (caseNumber: string, caller: Caller = OWNER) =>
    (
      await ask(
        `{ case(caseNumber: "${caseNumber}") { version subjects { totalCount nodes { id } } relatedProperty { totalCount nodes { id } } } }`,
        {},
        caller,
      )
    ).data!.case;
  const snapshotOf = (personId: string) =>
    subgraph.counted.db.query('select owning_agency, jurisdiction, release_mode from case_subject where person_id = $1', [personId]);

  it("links a visible person and property item with their owners' snapshots, for every partner who may see them", async () => {
    const person = await issue(OWNER, 'FR-ARA');
    const caseNumber = await open();
    const linked = await link(LINK_SUBJECT, caseNumber, 1, person.toLowerCase());
    expect(linked.errors).toBeUndefined();
    expect(linked.data!.linkCaseSubject).toMatchObject({ version: 2, subjects: { totalCount: 1, nodes: [{ id: person }] } });
    const withItem = await link(LINK_PROPERTY, caseNumber, 2, visibleItem);
    expect(withItem.data!.linkCaseProperty).toMatchObject({ version: 3, relatedProperty: { totalCount: 1, nodes: [{ id: visibleItem }] } });
    expect(await snapshotOf(person)).toEqual([{ owning_agency: 'FRPN00001', jurisdiction: 'FR-ARA', release_mode: 'ALL_GRANTED' }]);
    expect(await subjectsOf(caseNumber, OTHER)).toEqual({
      version: 3,
      subjects: { totalCount: 1, nodes: [{ id: person }] },
      relatedProperty: { totalCount: 1, nodes: [{ id: visibleItem }] },
    });
    expect((await writesOf(subgraph.counted.db, caseNumber)).map((entry) => entry.action)).toEqual([
      'openCase',
      'linkCaseSubject',
      'linkCaseProperty',
    ]);
    const again = await link(LINK_SUBJECT, caseNumber, 3, person);
    expect(again.errors?.[0]).toMatchObject({
      message: `${person} is already among the subjects of case ${caseNumber}`,
      extensions: { code: 'CONFLICT', currentVersion: 3 },
    });
  });

  it('refuses to link a record the partner cannot see exactly like a missing one, writing nothing', async () => {
    const secret = await issue(OTHER, 'DE', { mode: 'OWNER_ONLY' });
    const caseNumber = await open();
    const hidden = await link(LINK_SUBJECT, caseNumber, 1, secret);
    const missing = await link(LINK_SUBJECT, caseNumber, 1, 'W999999999');
    expect(hidden.errors?.[0]).toMatchObject({ message: `No wanted-person record ${secret}`, extensions: { code: 'NOT_FOUND' } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'No wanted-person record W999999999', extensions: { code: 'NOT_FOUND' } });
    const hiddenItemLink = await link(LINK_PROPERTY, caseNumber, 1, hiddenItem);
    expect(hiddenItemLink.errors?.[0]).toMatchObject({ message: `No property item ${hiddenItem}`, extensions: { code: 'NOT_FOUND' } });
    expect(await subjectsOf(caseNumber)).toMatchObject({ version: 1, subjects: { totalCount: 0 }, relatedProperty: { totalCount: 0 } });
    expect(await snapshotOf(secret)).toEqual([]);
    expect(await writesOf(subgraph.counted.db, caseNumber)).toHaveLength(1);
  });

  it('unlinks visible subjects and property; a link that is absent or hidden from the partner is NOT_FOUND', async () => {
    const person = await issue(OWNER, 'FR');
    const caseNumber = await open();
    await link(LINK_SUBJECT, caseNumber, 1, person);
    await link(LINK_PROPERTY, caseNumber, 2, visibleItem);
    const unlinked = await link(UNLINK_SUBJECT, caseNumber, 3, person);
    expect(unlinked.data!.unlinkCaseSubject).toMatchObject({ version: 4, subjects: { totalCount: 0 } });
    const unlinkedItem = await link(UNLINK_PROPERTY, caseNumber, 4, visibleItem);
    expect(unlinkedItem.data!.unlinkCaseProperty).toMatchObject({ version: 5, relatedProperty: { totalCount: 0 } });
    const twice = await link(UNLINK_SUBJECT, caseNumber, 5, person);
    expect(twice.errors?.[0]).toMatchObject({
      message: `No wanted-person record ${person} among the subjects of case ${caseNumber}`,
      extensions: { code: 'NOT_FOUND' },
    });
    expect((await writesOf(subgraph.counted.db, caseNumber)).map((entry) => entry.action)).toEqual([
      'openCase',
      'linkCaseSubject',
      'linkCaseProperty',
      'unlinkCaseSubject',
      'unlinkCaseProperty',
    ]);
  });

  it("refreshes snapshots from the owner's truth: a narrowed person leaves the subjects; a partner who cannot see it changes nothing", async () => {
    const person = await issue(OTHER, 'DE');
    const caseNumber = await open();
    await link(LINK_SUBJECT, caseNumber, 1, person);
    const narrowed = await askSubgraph(
      owners['wanted-persons'].url,
      AMEND_NOTICE,
      { id: person, v: 1, input: { releasability: { mode: 'OWNER_ONLY' } }, key: key() },
      OTHER,
    );
    expect(narrowed.errors).toBeUndefined();
    // Nobody told case-status yet: the snapshot is stale until a refresh.
    expect((await subjectsOf(caseNumber)).subjects.totalCount).toBe(1);
    expect((await ask(REFRESH, { entity: 'WantedPerson', ids: [person] })).data).toEqual({ refreshLinkSnapshots: 0 });
    expect((await subjectsOf(caseNumber)).subjects.totalCount).toBe(1);
    expect((await ask(REFRESH, { entity: 'WantedPerson', ids: [person] }, OTHER)).data).toEqual({ refreshLinkSnapshots: 1 });
    expect(await snapshotOf(person)).toEqual([{ owning_agency: 'DEBKA0001', jurisdiction: 'DE', release_mode: 'OWNER_ONLY' }]);
    expect((await subjectsOf(caseNumber)).subjects).toEqual({ totalCount: 0, nodes: [] });
    const unlink = await link(UNLINK_SUBJECT, caseNumber, 2, person);
    expect(unlink.errors?.[0]).toMatchObject({
      message: `No wanted-person record ${person} among the subjects of case ${caseNumber}`,
      extensions: { code: 'NOT_FOUND' },
    });
    const bad = await ask(REFRESH, { entity: 'Nope', ids: ['x'] });
    expect((bad.errors?.[0]?.extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['entity', 'ids.0']);
    const anonymous = await ask(REFRESH, { entity: 'WantedPerson', ids: [person] }, { principal: null, purpose: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  });

  it('refuses with SUBGRAPH_UNAVAILABLE and writes nothing when the owner does not answer; the retry succeeds', async () => {
    const caseNumber = await open();
    const idempotencyKey = key();
    urls['stolen-property'] = await deadUrl();
    try {
      const refused = await link(LINK_PROPERTY, caseNumber, 1, visibleItem, idempotencyKey);
      expect(refused.errors?.[0]).toMatchObject({
        message: expect.stringContaining('stolen-property did not answer'),
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'stolen-property' },
      });
    } finally {
      urls['stolen-property'] = owners['stolen-property'].url;
    }
    expect(await subjectsOf(caseNumber)).toMatchObject({ version: 1, relatedProperty: { totalCount: 0 } });
    expect(await writesOf(subgraph.counted.db, caseNumber)).toHaveLength(1);
    const retried = await link(LINK_PROPERTY, caseNumber, 1, visibleItem, idempotencyKey);
    expect(retried.data!.linkCaseProperty).toMatchObject({ version: 2, relatedProperty: { nodes: [{ id: visibleItem }] } });
    // Once it happened, a retry answers with the first result even while the owner is down again.
    urls['stolen-property'] = await deadUrl();
    try {
      const replayed = await link(LINK_PROPERTY, caseNumber, 1, visibleItem, idempotencyKey);
      expect(replayed.errors).toBeUndefined();
      expect(replayed.data!.linkCaseProperty).toMatchObject({ version: 2 });
    } finally {
      urls['stolen-property'] = owners['stolen-property'].url;
    }
  });

  it('runs a link retried 10 times at once exactly once', async () => {
    const person = await issue(OWNER, 'FR');
    const caseNumber = await open();
    const idempotencyKey = key();
    const responses = await Promise.all(Array.from({ length: 10 }, () => link(LINK_SUBJECT, caseNumber, 1, person, idempotencyKey)));
    expect(responses.map((response) => response.data?.linkCaseSubject?.version)).toEqual(Array(10).fill(2));
    expect(await snapshotOf(person)).toHaveLength(1);
    expect(await writesOf(subgraph.counted.db, caseNumber)).toHaveLength(2);
  });

  it('leaves no link, version change or audit entry when the transaction fails midway; the retry succeeds', async () => {
    const person = await issue(OWNER, 'FR');
    const caseNumber = await open();
    const idempotencyKey = key();
    await withFailingAudit(subgraph.counted.db, async () => {
      expect((await link(LINK_SUBJECT, caseNumber, 1, person, idempotencyKey)).errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    });
    expect(await snapshotOf(person)).toEqual([]);
    expect(await subjectsOf(caseNumber)).toMatchObject({ version: 1, subjects: { totalCount: 0 } });
    expect(await writesOf(subgraph.counted.db, caseNumber)).toHaveLength(1);
    expect((await link(LINK_SUBJECT, caseNumber, 1, person, idempotencyKey)).data!.linkCaseSubject).toMatchObject({
      version: 2,
      subjects: { totalCount: 1 },
    });
  });
});
