import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { ENGINES } from './support/databases.ts';
import { graphql } from './support/graphql-client.ts';
import { ISSUE } from './support/reference-only.ts';
import { openSse } from './support/sse-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { within } from './support/subscription-clients.ts';
import { bearer } from './support/tokens.ts';

// Owners told of hits on their records, from every subgraph's audit trail, through the gateway's one
// merged subscription: a partner shown a reference-only record's reference, and the hit confirmation
// request it then makes, each reach the owner with who and why, and nobody else.

const OWNER: Partial<DevTokenClaims> = { subject: 'fr-owner', agency: 'FRPN00001', jurisdictions: ['FR'] };
const PARTNER: Partial<DevTokenClaims> = { subject: 'es-border', agency: 'ESPN00001', jurisdictions: ['FR', 'ES'] };
const HITS = `subscription Hits($filter: HitOnOwnRecordFilter, $after: ID) { hitsOnOwnRecords(filter: $filter, after: $after) {
  id kind recordId sourceSubgraph partnerAgency purpose purposeReference auditSeq requestId requestStatus at } }`;
const READ = 'query($id: ID!) { wantedPerson(id: $id) { id releasedInFull familyName } }';
const REQUEST = `mutation($input: RequestHitConfirmationInput!, $key: String!) {
  requestHitConfirmation(input: $input, idempotencyKey: $key) { id } }`;
const REFERENCES = `query($id: ID!) { wantedPersonsAudit(filter: { recordId: $id, action: "REFERENCE" }, first: 50) { nodes { seq partnerAgency } } }`;

type Stream = AsyncIterableIterator<ExecutionResult>;
type Hit = Record<string, string | null>;

const desk = (agency: string, scopes = ['audit:read']): Caller => ({
  principal: { subject: `${agency}-desk`, agency, scopes: new Set(scopes), jurisdictions: ['FR'] },
  purpose: { code: 'AUDIT', reference: null },
});
const hitOf = (step: IteratorResult<ExecutionResult>) => (step.value as ExecutionResult<{ hitsOnOwnRecords: Hit }>).data!.hitsOnOwnRecords;
const nothingWithin = (stream: Stream, ms: number) =>
  Promise.race([stream.next().then((step) => hitOf(step)), new Promise((resolve) => setTimeout(() => resolve('none'), ms))]);

let stack: Stack;
let person: string;
const ask = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) =>
  graphql(stack.gatewayUrl, query, variables, await bearer(claims));
const subscribe = async (caller: Caller, variables: Record<string, unknown> = {}) =>
  (await stack.gateway.subscribe(caller, { query: HITS, variables })) as Stream;

describe.each(ENGINES)('hits on own records on %s', (engine) => {
  beforeAll(async () => {
    stack = await startStack(engine);
    const input = { familyName: 'Hitt', givenNames: 'Ona', sex: 'FEMALE', noticeType: 'RED', jurisdiction: 'FR' };
    const issued = await ask(OWNER, ISSUE, { input: { ...input, releasability: { mode: 'REFERENCE_ONLY' } }, key: randomUUID() });
    person = issued.data!.issueWantedNotice.id;
  }, 120_000);
  afterAll(() => stack?.close());

  it('tells the owner of each reference shown and each confirmation request, with who and why, and nobody else', async () => {
    const owner = await subscribe(desk('FRPN00001'));
    const bystander = await subscribe(desk('ITPS00001'));
    expect((await ask(PARTNER, READ, { id: person })).data).toEqual({
      wantedPerson: { id: person, releasedInFull: false, familyName: null },
    });
    const seen = hitOf(await within(owner.next(), 10_000, 'the reference hit'));
    const [entry] = (await ask(OWNER, REFERENCES, { id: person })).data!.wantedPersonsAudit.nodes;
    expect(entry.partnerAgency).toBe('ESPN00001');
    expect(seen).toMatchObject({
      kind: 'REFERENCE_DISCLOSURE',
      recordId: person,
      sourceSubgraph: 'wanted-persons',
      partnerAgency: 'ESPN00001',
      purpose: 'OPERATIONS',
      purposeReference: 'TEST-REF-1',
      auditSeq: entry.seq,
      requestId: null,
    });
    expect(seen.id).toMatch(/^case-status:\d+,hit-confirmations:\d+,stolen-property:\d+,wanted-persons:\d+$/);

    const made = await ask(PARTNER, REQUEST, { input: { recordId: person, priority: 'URGENT' }, key: randomUUID() });
    const requestId = made.data!.requestHitConfirmation.id;
    // The owner's check behind the request showed the partner the reference once more: a hit of its own.
    let requested = hitOf(await within(owner.next(), 10_000, 'the request hit'));
    while (requested.kind === 'REFERENCE_DISCLOSURE') requested = hitOf(await within(owner.next(), 10_000, 'the request hit'));
    expect(requested).toMatchObject({
      kind: 'CONFIRMATION_REQUESTED',
      recordId: person,
      sourceSubgraph: 'hit-confirmations',
      partnerAgency: 'ESPN00001',
      purpose: 'OPERATIONS',
      requestId,
      requestStatus: 'PENDING',
      auditSeq: null,
    });
    expect(await nothingWithin(bystander, 1_000)).toBe('none');
    await owner.return!();
    await bystander.return!();
  });

  it('hears nothing of the owner’s own reads, and keeps to the kinds asked for', async () => {
    const everything = await subscribe(desk('FRPN00001'));
    expect((await ask(OWNER, READ, { id: person })).data).toEqual({
      wantedPerson: { id: person, releasedInFull: true, familyName: 'Hitt' },
    });
    expect(await nothingWithin(everything, 1_500)).toBe('none');
    await everything.return!();

    const requests = await subscribe(desk('FRPN00001'), { filter: { kinds: ['CONFIRMATION_REQUESTED'] } });
    await ask(PARTNER, READ, { id: person });
    const made = await ask(PARTNER, REQUEST, { input: { recordId: person, priority: 'ROUTINE' }, key: randomUUID() });
    expect(hitOf(await within(requests.next(), 10_000, 'the request hit'))).toMatchObject({
      kind: 'CONFIRMATION_REQUESTED',
      requestId: made.data!.requestHitConfirmation.id,
    });
    await requests.return!();
  });

  it('resumes from the last event id across every feed: nothing lost, nothing twice', async () => {
    const first = await subscribe(desk('FRPN00001'));
    await ask(PARTNER, READ, { id: person });
    const last = hitOf(await within(first.next(), 10_000, 'a first hit'));
    await first.return!();
    // While nobody listens: a reference shown (wanted-persons) and a request made (hit-confirmations).
    await ask(PARTNER, READ, { id: person });
    const made = await ask(PARTNER, REQUEST, { input: { recordId: person, priority: 'URGENT' }, key: randomUUID() });
    const resumed = await subscribe(desk('FRPN00001'), { after: last.id });
    const caught: Hit[] = [];
    for (let next = await nothingWithin(resumed, 3_000); next !== 'none'; next = await nothingWithin(resumed, 1_500))
      caught.push(next as Hit);
    // Exactly what the trails hold since: the request, and the reference entries written after the last
    // hit heard (the read, and the owner's check behind the request, which the partner was shown too).
    expect(caught.filter((hit) => hit.kind === 'CONFIRMATION_REQUESTED').map((hit) => hit.requestId)).toEqual([
      made.data!.requestHitConfirmation.id,
    ]);
    const entries = (await ask(OWNER, REFERENCES, { id: person })).data!.wantedPersonsAudit.nodes as { seq: string }[];
    const since = entries.map((entry) => entry.seq).filter((seq) => Number(seq) > Number(last.auditSeq));
    const references = caught.filter((hit) => hit.kind === 'REFERENCE_DISCLOSURE').map((hit) => hit.auditSeq);
    expect(references.sort()).toEqual(since.sort());
    expect(references.length).toBeGreaterThanOrEqual(1);
    await resumed.return!();
  });

  it('tells the owner of every disclosure to another agency of a record it marked notifyOwnerOnHit, and of no other', async () => {
    const input = { familyName: 'Watch', givenNames: 'Ed', sex: 'MALE', noticeType: 'BLUE', jurisdiction: 'FR' };
    const marked = await ask(OWNER, ISSUE, {
      input: { ...input, releasability: { mode: 'ALL_GRANTED', notifyOwnerOnHit: true } },
      key: randomUUID(),
    });
    const plain = await ask(OWNER, ISSUE, { input, key: randomUUID() });
    const [watched, unwatched] = [marked.data!.issueWantedNotice.id, plain.data!.issueWantedNotice.id];
    const owner = await subscribe(desk('FRPN00001'));
    await ask(OWNER, READ, { id: watched });
    await ask(PARTNER, READ, { id: unwatched });
    const seen = await ask(PARTNER, READ, { id: watched });
    expect(seen.data).toEqual({ wantedPerson: { id: watched, releasedInFull: true, familyName: 'Watch' } });
    expect(hitOf(await within(owner.next(), 10_000, 'the disclosure hit'))).toMatchObject({
      kind: 'DISCLOSURE',
      recordId: watched,
      sourceSubgraph: 'wanted-persons',
      partnerAgency: 'ESPN00001',
      purpose: 'OPERATIONS',
      purposeReference: 'TEST-REF-1',
    });
    expect(await nothingWithin(owner, 1_000)).toBe('none');
    await owner.return!();
  });

  it('streams hits over SSE with the merged position as each id, and resumes from it as Last-Event-ID', async () => {
    const url = `${stack.gatewayUrl}?query=${encodeURIComponent('subscription { hitsOnOwnRecords { id kind partnerAgency } }')}`;
    const headers = await bearer({ ...OWNER, subject: 'fr-auditor' });
    const live = await openSse(url, { headers });
    expect(live.status).toBe(200);
    await ask(PARTNER, READ, { id: person });
    const heard = await live.next((event) => event.event === 'next', 10_000);
    expect(heard.id).toMatch(/^case-status:\d+,hit-confirmations:\d+,stolen-property:\d+,wanted-persons:\d+$/);
    expect(heard.data.data.hitsOnOwnRecords).toEqual({ id: heard.id, kind: 'REFERENCE_DISCLOSURE', partnerAgency: 'ESPN00001' });
    live.abort();
    await ask(PARTNER, READ, { id: person });
    const resumed = await openSse(url, { headers: { ...headers, 'last-event-id': heard.id! } });
    const missed = await resumed.next((event) => event.event === 'next', 10_000);
    expect(missed.data.data.hitsOnOwnRecords).toMatchObject({ kind: 'REFERENCE_DISCLOSURE', partnerAgency: 'ESPN00001' });
    expect(missed.id).not.toBe(heard.id);
    resumed.abort();
  });

  it('refuses a subscriber without audit:read, and an after that is not an event id', async () => {
    const refused = (await stack.gateway.subscribe(desk('FRPN00001', ['wanted:read']), { query: HITS })) as ExecutionResult;
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const malformed = (await stack.gateway.subscribe(desk('FRPN00001'), { query: HITS, variables: { after: '12' } })) as ExecutionResult;
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
