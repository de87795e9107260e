import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// A case links a person owned by another agency in another subgraph; the link's snapshot of the
// person's release decision follows the owner's changes, through the gateway and the real subgraphs.

const PERSON_OWNER: Partial<DevTokenClaims> = { subject: 'fr-analyst', agency: 'FRPN00001', jurisdictions: ['FR'] };
const CASE_OWNER: Partial<DevTokenClaims> = { subject: 'de-investigator', agency: 'DEBKA0001', jurisdictions: ['FR', 'DE'] };
const PARTNER: Partial<DevTokenClaims> = { subject: 'es-analyst', agency: 'ESPN00001', jurisdictions: ['FR', 'DE', 'ES'] };

const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
  amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version releasability { mode } } }`;
const OPEN = `mutation Open($input: OpenCaseInput!, $key: String!) { openCase(input: $input, idempotencyKey: $key) { caseNumber version } }`;
const LINK = `mutation Link($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseSubject(caseNumber: $c, expectedVersion: $v, personId: $id, idempotencyKey: $key) { version } }`;
const SUBJECTS = `query Subjects($c: ID!) { case(caseNumber: $c) { caseNumber subjects { totalCount nodes { id noticeType } } } }`;
const REPORT = `mutation Report($input: ReportPropertyInput!, $key: String!) { reportPropertyStolen(input: $input, idempotencyKey: $key) { id version } }`;
const AMEND_ITEM = `mutation AmendItem($id: ID!, $v: Int!, $input: AmendPropertyInput!, $key: String!) {
  amendPropertyItem(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }`;
const LINK_ITEM = `mutation LinkItem($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseProperty(caseNumber: $c, expectedVersion: $v, propertyId: $id, idempotencyKey: $key) { version } }`;
const PROPERTY = `query Property($c: ID!) { case(caseNumber: $c) { relatedProperty { totalCount nodes { id } } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

const ask = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) =>
  graphql(stack.gatewayUrl, query, variables, await bearer(claims));
const write = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) => {
  const response = await ask(claims, query, { ...variables, key: randomUUID() });
  expect(response.errors).toBeUndefined();
  return Object.values(response.data!)[0] as Record<string, any>;
};
const notice = (releasability: Record<string, unknown> = { mode: 'ALL_GRANTED' }) => ({
  familyName: 'Snapshot',
  givenNames: 'Sami',
  sex: 'UNKNOWN',
  noticeType: 'BLUE',
  jurisdiction: 'FR',
  releasability,
});
const subjectsSeenBy = async (claims: Partial<DevTokenClaims>, caseNumber: string) => {
  const response = await ask(claims, SUBJECTS, { c: caseNumber });
  return (response.data?.case?.subjects ?? null) as { totalCount: number; nodes: { id: string }[] } | null;
};

describe('link snapshots across subgraphs', () => {
  it("hides a linked person from the case's subjects once its owner narrows who may see it", async () => {
    const person = await write(PERSON_OWNER, ISSUE, { input: notice() });
    const opened = await write(CASE_OWNER, OPEN, {
      input: { title: 'Joint investigation Rhine', jurisdiction: 'DE', reason: 'Joint investigation team formed' },
    });
    expect(await write(CASE_OWNER, LINK, { c: opened.caseNumber, v: opened.version, id: person.id })).toEqual({ version: 2 });

    expect(await subjectsSeenBy(PARTNER, opened.caseNumber)).toEqual({ totalCount: 1, nodes: [{ id: person.id, noticeType: 'BLUE' }] });

    const amended = await write(PERSON_OWNER, AMEND, {
      id: person.id,
      v: person.version,
      input: { releasability: { mode: 'OWNER_ONLY' } },
    });
    expect(amended).toMatchObject({ version: 2, releasability: { mode: 'OWNER_ONLY' } });

    // The owner's write tells case-status after commit; allow it a short, bounded while.
    // Until then the stale snapshot names a person wanted-persons no longer shows the partner: no list at all.
    let seen = await subjectsSeenBy(PARTNER, opened.caseNumber);
    for (
      const deadline = Date.now() + 5_000;
      seen?.totalCount !== 0 && Date.now() < deadline;
      seen = await subjectsSeenBy(PARTNER, opened.caseNumber)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toEqual({ totalCount: 0, nodes: [] });
    expect(await subjectsSeenBy(CASE_OWNER, opened.caseNumber)).toEqual({ totalCount: 0, nodes: [] });
    const snapshot = await stack.databases['case-status']!.query(
      'select owning_agency, release_mode from case_subject where person_id = $1',
      [person.id],
    );
    expect(snapshot).toEqual([{ owning_agency: 'FRPN00001', release_mode: 'OWNER_ONLY' }]);
  });

  it('drops linked property from the case for partners once its owner keeps it to itself', async () => {
    const artwork = { title: 'Snapshot at dusk', artist: 'Unknown', period: 'Impressionism, 1899' };
    const item = await write(PERSON_OWNER, REPORT, { input: { kind: 'ARTWORK', jurisdiction: 'FR-IDF', artwork } });
    const opened = await write(CASE_OWNER, OPEN, { input: { title: 'Art trafficking Rhine', jurisdiction: 'DE' } });
    await write(CASE_OWNER, LINK_ITEM, { c: opened.caseNumber, v: 1, id: item.id });
    const propertySeenBy = async (claims: Partial<DevTokenClaims>) =>
      (await ask(claims, PROPERTY, { c: opened.caseNumber })).data?.case?.relatedProperty ?? null;
    expect(await propertySeenBy(PARTNER)).toEqual({ totalCount: 1, nodes: [{ id: item.id }] });
    await write(PERSON_OWNER, AMEND_ITEM, { id: item.id, v: item.version, input: { releasability: { mode: 'OWNER_ONLY' } } });
    let seen = await propertySeenBy(PARTNER);
    for (const deadline = Date.now() + 5_000; seen?.totalCount !== 0 && Date.now() < deadline; seen = await propertySeenBy(PARTNER)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toEqual({ totalCount: 0, nodes: [] });
  });

  it('refuses to link a person the linking partner cannot see, as NOT_FOUND', async () => {
    const secret = await write(PERSON_OWNER, ISSUE, { input: notice({ mode: 'OWNER_ONLY' }) });
    const opened = await write(CASE_OWNER, OPEN, { input: { title: 'Probe', jurisdiction: 'DE' } });
    const refused = await ask(CASE_OWNER, LINK, { c: opened.caseNumber, v: 1, id: secret.id, key: randomUUID() });
    expect(refused.errors?.[0]).toMatchObject({ message: `No wanted-person record ${secret.id}`, extensions: { code: 'NOT_FOUND' } });
    expect(await subjectsSeenBy(CASE_OWNER, opened.caseNumber)).toEqual({ totalCount: 0, nodes: [] });
  });
});
