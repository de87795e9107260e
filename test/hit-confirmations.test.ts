import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { within } from './support/subscription-clients.ts';
import { ENGINES } from './support/databases.ts';
import { graphql } from './support/graphql-client.ts';
import { ISSUE } from './support/reference-only.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// Hit confirmation through the gateway and the real subgraphs: a partner that hit a record released to it
// as a reference asks the owner to confirm; only the two of them see the request; the owner answers.

const OWNER: Partial<DevTokenClaims> = { subject: 'fr-owner', agency: 'FRPN00001', jurisdictions: ['FR'] };
const REQUESTER: Partial<DevTokenClaims> = { subject: 'es-border', agency: 'ESPN00001', jurisdictions: ['FR', 'ES'] };
const BYSTANDER: Partial<DevTokenClaims> = { subject: 'it-analyst', agency: 'ITPS00001', jurisdictions: ['FR', 'IT'] };
const OUTSIDER: Partial<DevTokenClaims> = { subject: 'pl-analyst', agency: 'PLPN00001', jurisdictions: ['PL'] };

const FIELDS = `id version recordId recordKind priority status requestingAgency requestNote purpose purposeReference
  requestedAt dueAt answer answerNote answeredAt releasedUntil owningAgency jurisdiction releasedInFull
  person { id owningAgency releasedInFull } history { step agency }`;
const REQUEST = `mutation Request($input: RequestHitConfirmationInput!, $key: String!) {
  requestHitConfirmation(input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const ANSWER = `mutation Answer($input: AnswerHitConfirmationInput!, $v: Int!, $key: String!) {
  answerHitConfirmation(input: $input, expectedVersion: $v, idempotencyKey: $key) { ${FIELDS} } }`;
const WITHDRAW = `mutation Withdraw($id: ID!, $v: Int!, $key: String!) {
  withdrawHitConfirmation(requestId: $id, expectedVersion: $v, idempotencyKey: $key) { id status version } }`;
const ONE = `query One($id: ID!) { hitConfirmationRequest(id: $id) { id status } }`;
const LIST = `query List($filter: HitConfirmationRequestFilter) { hitConfirmationRequests(filter: $filter) { totalCount nodes { id } } }`;

let stack: Stack;
let person: string;

async function ask(claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown> = {}, purpose?: null) {
  return graphql(stack.gatewayUrl, query, variables, await bearer(claims, purpose));
}
const requestAs = (claims: Partial<DevTokenClaims>, input: Record<string, unknown>) => ask(claims, REQUEST, { input, key: randomUUID() });
const answerAs = (claims: Partial<DevTokenClaims>, v: number, input: Record<string, unknown>) =>
  ask(claims, ANSWER, { input, v, key: randomUUID() });
const codeOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => response.errors?.[0]?.extensions?.code;

describe.each(ENGINES)('hit confirmation on %s', (engine) => {
  beforeAll(async () => {
    stack = await startStack(engine);
    const issued = await ask(OWNER, ISSUE, {
      input: {
        familyName: 'Hitchcock',
        givenNames: 'Hana',
        sex: 'FEMALE',
        noticeType: 'RED',
        jurisdiction: 'FR',
        releasability: { mode: 'REFERENCE_ONLY' },
      },
      key: randomUUID(),
    });
    person = issued.data!.issueWantedNotice.id;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('asks the owner of a record seen as a reference, due by the priority’s deadline', async () => {
    const made = await requestAs(REQUESTER, { recordId: person, priority: 'URGENT', note: 'Stopped at the Le Perthus crossing' });
    expect(made.errors).toBeUndefined();
    const request = made.data!.requestHitConfirmation;
    expect(request).toMatchObject({
      id: expect.stringMatching(/^H\d{9}$/),
      version: 1,
      recordId: person,
      recordKind: 'WANTED_PERSON',
      priority: 'URGENT',
      status: 'PENDING',
      requestingAgency: 'ESPN00001',
      requestNote: 'Stopped at the Le Perthus crossing',
      purpose: 'OPERATIONS',
      purposeReference: 'TEST-REF-1',
      answer: null,
      owningAgency: 'FRPN00001',
      jurisdiction: 'FR',
      releasedInFull: true,
      person: { id: person, owningAgency: 'FRPN00001', releasedInFull: false },
      history: [{ step: 'REQUESTED', agency: 'ESPN00001' }],
    });
    expect(Date.parse(request.dueAt) - Date.parse(request.requestedAt)).toBe(600_000);
  });

  it('shows a request to the requesting and the owning agency only, each on its side', async () => {
    const { id } = (await requestAs(REQUESTER, { recordId: person, priority: 'ROUTINE' })).data!.requestHitConfirmation;
    expect((await ask(OWNER, ONE, { id })).data).toEqual({ hitConfirmationRequest: { id, status: 'PENDING' } });
    expect((await ask(REQUESTER, ONE, { id })).data).toEqual({ hitConfirmationRequest: { id, status: 'PENDING' } });
    expect((await ask(BYSTANDER, ONE, { id })).data).toEqual({ hitConfirmationRequest: null });
    const received = (await ask(OWNER, LIST, { filter: { side: 'RECEIVED', recordId: person } })).data!.hitConfirmationRequests;
    expect(received.nodes.map((node: { id: string }) => node.id)).toContain(id);
    expect((await ask(OWNER, LIST, { filter: { side: 'REQUESTED' } })).data!.hitConfirmationRequests).toEqual({ totalCount: 0, nodes: [] });
    const requested = (await ask(REQUESTER, LIST, { filter: { side: 'REQUESTED', statuses: ['PENDING'] } })).data!.hitConfirmationRequests;
    expect(requested.nodes.map((node: { id: string }) => node.id)).toContain(id);
    expect((await ask(BYSTANDER, LIST)).data!.hitConfirmationRequests).toEqual({ totalCount: 0, nodes: [] });
  });

  it('takes the owner’s answers in turn: more time moves the deadline, a confirmation closes the request', async () => {
    const { id } = (await requestAs(REQUESTER, { recordId: person, priority: 'URGENT' })).data!.requestHitConfirmation;
    const extended = await answerAs(OWNER, 1, {
      requestId: id,
      answer: 'NEEDS_MORE_TIME',
      extendBySeconds: 1_800,
      note: 'Checking the warrant',
    });
    expect(extended.errors).toBeUndefined();
    const moved = extended.data!.answerHitConfirmation;
    expect(moved).toMatchObject({ status: 'EXTENDED', answer: 'NEEDS_MORE_TIME', answerNote: 'Checking the warrant', version: 2 });
    expect(Date.parse(moved.dueAt) - Date.parse(moved.answeredAt)).toBe(1_800_000);
    const confirmed = (await answerAs(OWNER, 2, { requestId: id, answer: 'CONFIRMED' })).data!.answerHitConfirmation;
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', answer: 'CONFIRMED', answerNote: null, version: 3 });
    expect(confirmed.history).toEqual([
      { step: 'REQUESTED', agency: 'ESPN00001' },
      { step: 'NEEDS_MORE_TIME', agency: 'FRPN00001' },
      { step: 'CONFIRMED', agency: 'FRPN00001' },
    ]);
    const again = await answerAs(OWNER, 3, { requestId: id, answer: 'NOT_CONFIRMED' });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.errors![0]!.message).toContain('is CONFIRMED');
    expect(codeOf(await ask(REQUESTER, WITHDRAW, { id, v: 3, key: randomUUID() }))).toBe('CONFLICT');
    // Both answers timed, per owning agency; the requests counted by status.
    const metrics = await (await fetch(new URL('/metrics', stack.subgraphUrls['hit-confirmations']))).text();
    const series = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1] ?? Number.NaN);
    expect(
      series(/^liaison_hit_confirmation_answer_seconds_count\{owning_agency="FRPN00001",priority="URGENT",answer="CONFIRMED"\} (\d+)$/m),
    ).toBeGreaterThanOrEqual(1);
    expect(
      series(
        /^liaison_hit_confirmation_answer_seconds_count\{owning_agency="FRPN00001",priority="URGENT",answer="NEEDS_MORE_TIME"\} (\d+)$/m,
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(series(/^liaison_hit_confirmation_requests\{owning_agency="FRPN00001",status="CONFIRMED"\} (\d+)$/m)).toBeGreaterThanOrEqual(1);
  });

  it('lets each side take only its own steps, and a stranger none, as if there were no request', async () => {
    const { id } = (await requestAs(REQUESTER, { recordId: person, priority: 'ROUTINE' })).data!.requestHitConfirmation;
    const byRequester = await answerAs(REQUESTER, 1, { requestId: id, answer: 'CONFIRMED' });
    expect(codeOf(byRequester)).toBe('FORBIDDEN');
    expect(codeOf(await answerAs(BYSTANDER, 1, { requestId: id, answer: 'CONFIRMED' }))).toBe('NOT_FOUND');
    expect(codeOf(await ask(OWNER, WITHDRAW, { id, v: 1, key: randomUUID() }))).toBe('FORBIDDEN');
    expect(codeOf(await answerAs(OWNER, 7, { requestId: id, answer: 'CONFIRMED' }))).toBe('CONFLICT');
    const withdrawn = await ask(REQUESTER, WITHDRAW, { id, v: 1, key: randomUUID() });
    expect(withdrawn.data!.withdrawHitConfirmation).toEqual({ id, status: 'WITHDRAWN', version: 2 });
  });

  it('refuses a record the requester cannot see, its own agency’s records, and bad input, before anything is written', async () => {
    const before = (await ask(OWNER, LIST, { filter: { side: 'RECEIVED' } })).data!.hitConfirmationRequests.totalCount;
    const unseen = await requestAs(OUTSIDER, { recordId: person, priority: 'URGENT' });
    expect(codeOf(unseen)).toBe('NOT_FOUND');
    expect(unseen.errors![0]!.message).toBe(`No wanted-person record ${person}`);
    expect(codeOf(await requestAs(OUTSIDER, { recordId: 'W999999999', priority: 'URGENT' }))).toBe('NOT_FOUND');
    expect(codeOf(await requestAs(OWNER, { recordId: person, priority: 'URGENT' }))).toBe('BAD_USER_INPUT');
    const bad = await requestAs(REQUESTER, { recordId: 'C000000001', priority: 'URGENT' });
    expect(bad.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'input.recordId' })],
    });
    const noTime = await answerAs(OWNER, 1, { requestId: 'H000000001', answer: 'NEEDS_MORE_TIME' });
    expect(noTime.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.extendBySeconds', message: 'is required with NEEDS_MORE_TIME' }],
    });
    const noPurpose = await ask(REQUESTER, REQUEST, { input: { recordId: person, priority: 'URGENT' }, key: randomUUID() }, null);
    expect(noPurpose.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' });
    expect((await ask(OWNER, LIST, { filter: { side: 'RECEIVED' } })).data!.hitConfirmationRequests.totalCount).toBe(before);
  });

  it('answers a retry with the first result, and files every step in the owner’s audit trail', async () => {
    const key = randomUUID();
    const input = { recordId: person, priority: 'ROUTINE', note: 'Retried' };
    const first = (await ask(REQUESTER, REQUEST, { input, key })).data!.requestHitConfirmation;
    const retry = (await ask(REQUESTER, REQUEST, { input, key })).data!.requestHitConfirmation;
    expect(retry.id).toBe(first.id);
    const trail = await ask(
      { ...OWNER, subject: 'fr-auditor' },
      `{ hitConfirmationsAudit(filter: { recordId: "${first.id}" }) { nodes { kind action partnerAgency } } }`,
    );
    expect(trail.data!.hitConfirmationsAudit.nodes).toEqual(
      expect.arrayContaining([{ kind: 'WRITE', action: 'requestHitConfirmation', partnerAgency: 'ESPN00001' }]),
    );
  });

  it('delivers each request about its records to the owner’s subscription as it is made, and to nobody else', async () => {
    const subscriber = (agency: string, jurisdictions: string[]): Caller => ({
      principal: { subject: `${agency}-desk`, agency, scopes: new Set(['hit-confirmations:read']), jurisdictions },
      purpose: { code: 'OPERATIONS', reference: null },
    });
    const query = `subscription { hitConfirmationRequestEvents(filter: { statuses: [PENDING] }) { change hitConfirmationRequest { id recordId requestingAgency } } }`;
    const owner = (await stack.gateway.subscribe(subscriber('FRPN00001', ['FR']), { query })) as AsyncIterableIterator<ExecutionResult>;
    const bystander = (await stack.gateway.subscribe(subscriber('ITPS00001', ['FR', 'IT']), {
      query,
    })) as AsyncIterableIterator<ExecutionResult>;
    const { id } = (await requestAs(REQUESTER, { recordId: person, priority: 'URGENT' })).data!.requestHitConfirmation;
    for (;;) {
      const step = await within(owner.next(), 10_000, 'the owner’s event');
      const event = (step.value as ExecutionResult<any>).data!.hitConfirmationRequestEvents;
      if (event.hitConfirmationRequest.id !== id) continue;
      expect(event).toEqual({ change: 'CREATED', hitConfirmationRequest: { id, recordId: person, requestingAgency: 'ESPN00001' } });
      break;
    }
    // The bystander's stream saw the same commit and delivered nothing about it.
    const nothing = await Promise.race([bystander.next(), new Promise((resolve) => setTimeout(() => resolve('none'), 1_000))]);
    expect(nothing).toBe('none');
    await owner.return!();
    await bystander.return!();
  });

  it('releases the record in full to the requester for as long as the confirming owner says, and no longer', async () => {
    const READ = `query($id: ID!) { wantedPerson(id: $id) { id releasedInFull familyName } }`;
    const AUDIT = `query($id: ID!) { wantedPersonsAudit(filter: { recordId: $id }, first: 50) { nodes { kind action partnerAgency } } }`;
    const { id } = (await requestAs(REQUESTER, { recordId: person, priority: 'URGENT' })).data!.requestHitConfirmation;
    const confirmed = await answerAs(OWNER, 1, { requestId: id, answer: 'CONFIRMED', releaseForSeconds: 6 });
    expect(confirmed.errors).toBeUndefined();
    const { releasedUntil, answeredAt } = confirmed.data!.answerHitConfirmation;
    expect(Date.parse(releasedUntil) - Date.parse(answeredAt)).toBe(6_000);
    const released = await ask(REQUESTER, READ, { id: person });
    expect(released).toMatchObject({ data: { wantedPerson: { id: person, releasedInFull: true, familyName: 'Hitchcock' } } });
    expect(released.errors).toBeUndefined();
    // Only to the requesting agency: another partner granted FR still gets the reference.
    const other = await ask(BYSTANDER, READ, { id: person });
    expect(other.data).toEqual({ wantedPerson: { id: person, releasedInFull: false, familyName: null } });
    const trail = (await ask(OWNER, AUDIT, { id: person })).data!.wantedPersonsAudit.nodes;
    expect(trail).toContainEqual({ kind: 'WRITE', action: 'grantWantedPersonRelease', partnerAgency: 'FRPN00001' });
    expect(trail).toContainEqual({ kind: 'DISCLOSURE', action: null, partnerAgency: 'ESPN00001' });
    // The hits on the owner's reference-only record, straight from its audit trail: the bystander's read.
    const HITS = `query($id: ID!) { wantedPersonsAudit(filter: { recordId: $id, action: "REFERENCE" }, first: 50) { nodes { action partnerAgency purpose } } }`;
    const hits = (await ask(OWNER, HITS, { id: person })).data!.wantedPersonsAudit.nodes;
    expect(hits).toContainEqual({ action: 'REFERENCE', partnerAgency: 'ITPS00001', purpose: 'OPERATIONS' });
    expect(hits.every((hit: { action: string }) => hit.action === 'REFERENCE')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(releasedUntil) - Date.now() + 200));
    expect((await ask(REQUESTER, READ, { id: person })).data).toEqual({
      wantedPerson: { id: person, releasedInFull: false, familyName: null },
    });
  });

  it('refuses a release that does not follow a confirmation, or of a record released in full, and writes no answer then', async () => {
    const { id } = (await requestAs(REQUESTER, { recordId: person, priority: 'ROUTINE' })).data!.requestHitConfirmation;
    const notConfirmed = await answerAs(OWNER, 1, { requestId: id, answer: 'NOT_CONFIRMED', releaseForSeconds: 60 });
    expect(notConfirmed.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.releaseForSeconds', message: 'is only for CONFIRMED, not NOT_CONFIRMED' }],
    });
    // A seeded notice, released to every granted partner (W000000001 is Polish).
    const open = await requestAs({ ...REQUESTER, jurisdictions: ['FR', 'ES', 'PL'] }, { recordId: 'W000000001', priority: 'ROUTINE' });
    const owner = open.data!.requestHitConfirmation.owningAgency;
    const inFull = await answerAs({ subject: 'owner-desk', agency: owner, jurisdictions: ['PL'] }, 1, {
      requestId: open.data!.requestHitConfirmation.id,
      answer: 'CONFIRMED',
      releaseForSeconds: 60,
    });
    expect(inFull.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(inFull.errors![0]!.message).toContain('not REFERENCE_ONLY');
    const still = await ask({ ...REQUESTER, jurisdictions: ['PL'] }, ONE, { id: open.data!.requestHitConfirmation.id });
    expect(still.data!.hitConfirmationRequest.status).toBe('PENDING');
  });
});
