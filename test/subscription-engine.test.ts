import { createHash, randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// The subscription engine called directly (no transport) against the real subgraphs and their real
// record-event feeds: each event resolved through the federation as its subscriber.

const OWNER: Partial<DevTokenClaims> = { subject: 'fr-owner', agency: 'FRPN00001', jurisdictions: ['FR', 'ES', 'DE'] };
const MAX_QUEUE = 4;
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
  amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }`;
const EVENTS = `subscription Alerts($filter: WantedPersonEventFilter, $after: ID) {
  wantedPersonEvents(filter: $filter, after: $after) { id change at person { id noticeType jurisdiction familyName } } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('postgres', { gatewayEnv: { SUBSCRIPTION_MAX_QUEUE: String(MAX_QUEUE) } });
});
afterAll(() => stack?.close());

const partner = (subject: string, jurisdictions: string[], scopes = ['wanted:read'], purpose: Caller['purpose'] = PURPOSE): Caller => ({
  principal: { subject, agency: 'ESPN00001', scopes: new Set(scopes), jurisdictions },
  purpose,
});
const PURPOSE = { code: 'BORDER_CHECK', reference: 'POST-7' } as const;

const write = async (query: string, variables: Record<string, unknown>) => {
  const response = await graphql(stack.gatewayUrl, query, { ...variables, key: randomUUID() }, await bearer(OWNER));
  expect(response.errors).toBeUndefined();
  return Object.values(response.data!)[0] as { id: string; version: number };
};
const issue = (jurisdiction: string, releasability = { mode: 'ALL_GRANTED' }) =>
  write(ISSUE, { input: { familyName: 'Alert', givenNames: 'Ada', sex: 'UNKNOWN', noticeType: 'BLUE', jurisdiction, releasability } });

type Stream = AsyncIterableIterator<ExecutionResult>;
const subscribe = async (caller: Caller, variables: Record<string, unknown> = {}, lastEventId?: string) => {
  const outcome = await stack.gateway.subscribe(caller, { query: EVENTS, variables, ...(lastEventId ? { lastEventId } : {}) });
  if (!(Symbol.asyncIterator in outcome)) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome as Stream;
};
/** The next event of `stream`, within a bounded while. */
const next = async (stream: Stream, ms = 10_000): Promise<ExecutionResult> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no event in time')), ms)));
  try {
    const step = await Promise.race([stream.next(), timeout]);
    if (step.done) throw new Error('stream ended');
    return step.value;
  } finally {
    clearTimeout(timer);
  }
};
const event = (result: ExecutionResult) => (result.data as { wantedPersonEvents: Record<string, any> }).wantedPersonEvents;
/** Events of `stream` until one about `recordId`, with those that came before it. */
const until = async (stream: Stream, recordId: string) => {
  const seen: ExecutionResult[] = [];
  for (;;) {
    const result = await next(stream);
    seen.push(result);
    if (event(result).person.id === recordId) return seen;
  }
};

describe('subscription engine', () => {
  it('delivers a notice issued in FR to a partner granted FR, with the fields its scopes allow', async () => {
    const stream = await subscribe(partner('fr-border', ['FR']), { filter: { jurisdictions: ['FR'] } });
    const person = await issue('FR');
    const result = (await until(stream, person.id)).at(-1)!;
    const delivered = event(result);
    expect(delivered).toMatchObject({
      change: 'CREATED',
      person: { id: person.id, noticeType: 'BLUE', jurisdiction: 'FR', familyName: null },
    });
    expect(delivered.id).toMatch(/^\d+$/);
    expect(result.extensions).toEqual({ eventId: delivered.id });
    expect(result.errors).toEqual([
      expect.objectContaining({
        path: ['wantedPersonEvents', 'person', 'familyName'],
        extensions: expect.objectContaining({ code: 'UNAUTHORIZED_FIELD_OR_TYPE' }),
      }),
    ]);
    await stream.return!();

    // The disclosure is in the owner's audit trail, as the subscriber, with its purpose.
    const entries = await stack.databases['wanted-persons']!.query(
      `select purpose_code, purpose_reference, operation_name, operation_hash from audit_entry
        where kind = 'DISCLOSURE' and partner_subject = $1 and $2 = any(record_ids)`,
      ['fr-border', person.id],
    );
    // It names the subscription the partner sent, not the lookup the gateway ran for it.
    const operationHash = createHash('sha256').update(EVENTS).digest('hex');
    expect(entries).toEqual([
      { purpose_code: 'BORDER_CHECK', purpose_reference: 'POST-7', operation_name: 'Alerts', operation_hash: operationHash },
    ]);
  });

  it('tells a partner granted only DE nothing about a notice issued in FR', async () => {
    const stream = await subscribe(partner('de-border', ['DE'], ['wanted:read', 'wanted:pii']));
    const hidden = await issue('FR');
    const seen = await issue('DE');
    const events = (await until(stream, seen.id)).map((result) => event(result).person.id);
    expect(events).not.toContain(hidden.id);
    await stream.return!();
    const disclosed = await stack.databases['wanted-persons']!.query(
      `select 1 from audit_entry where partner_subject = 'de-border' and $1 = any(record_ids)`,
      [hidden.id],
    );
    expect(disclosed).toEqual([]);
  });

  it('stops the events of a record once its owner keeps it to itself', async () => {
    const stream = await subscribe(partner('fr-release', ['FR']));
    const person = await issue('FR');
    expect(event((await until(stream, person.id)).at(-1)!).change).toBe('CREATED');
    const hidden = await write(AMEND, { id: person.id, v: person.version, input: { releasability: { mode: 'OWNER_ONLY' } } });
    await write(AMEND, { id: person.id, v: hidden.version, input: { noticeType: 'RED' } });
    const sentinel = await issue('FR');
    const after = (await until(stream, sentinel.id)).map((result) => event(result).person.id);
    expect(after).not.toContain(person.id);
    await stream.return!();
  });

  it('resumes after the last event id received: nothing lost, nothing twice', async () => {
    const caller = partner('es-resume', ['ES']);
    const filter = { jurisdictions: ['ES'] };
    const first = await subscribe(caller, { filter });
    const a = await issue('ES');
    const [received] = await until(first, a.id);
    await first.return!();
    const missedWhileAway = [await issue('ES'), await issue('ES')];
    const resumed = await subscribe(caller, { filter }, event(received!).id);
    const live = await issue('ES');
    const ids = (await until(resumed, live.id)).map((result) => event(result).person.id);
    expect(ids).toEqual([...missedWhileAway.map((p) => p.id), live.id]);
    // The field's own `after` resumes the same way.
    const again = await subscribe(caller, { filter, after: event(received!).id });
    expect((await until(again, live.id)).map((result) => event(result).person.id)).toEqual(ids);
    await resumed.return!();
    await again.return!();
  });

  it("serves each subgraph's events, a region within a granted country and fragments included", async () => {
    const caller = partner('multi', ['FR', 'DE'], ['property:read', 'case:read']);
    const items = await stack.gateway.subscribe(caller, {
      query: `subscription Items { itemEvents: propertyItemEvents(filter: { jurisdictions: ["FR"], kinds: [ARTWORK] }) {
        id change ...Item } } fragment Item on PropertyItemEvent { item { id jurisdiction ... on Artwork { title } } }`,
    });
    const cases = await stack.gateway.subscribe(caller, {
      query: 'subscription Cases { caseEvents(filter: { changes: [CREATED] }) { change case { caseNumber title } } }',
    });
    const item = await write(
      `mutation Report($input: ReportPropertyInput!, $key: String!) { reportPropertyStolen(input: $input, idempotencyKey: $key) { id version } }`,
      { input: { kind: 'ARTWORK', jurisdiction: 'FR-IDF', artwork: { title: 'Alert at dawn', artist: 'Unknown', period: '1899' } } },
    );
    const opened = (await write(
      `mutation Open($input: OpenCaseInput!, $key: String!) { openCase(input: $input, idempotencyKey: $key) { caseNumber version } }`,
      { input: { title: 'Alert case', jurisdiction: 'DE' } },
    )) as unknown as { caseNumber: string };
    const itemEvent = await next(items as Stream);
    expect(itemEvent.data).toEqual({
      itemEvents: {
        id: expect.stringMatching(/^\d+$/),
        change: 'CREATED',
        item: { id: item.id, jurisdiction: 'FR-IDF', title: 'Alert at dawn' },
      },
    });
    expect(itemEvent.errors).toBeUndefined();
    expect((await next(cases as Stream)).data).toEqual({
      caseEvents: { change: 'CREATED', case: { caseNumber: opened.caseNumber, title: 'Alert case' } },
    });
    await (items as Stream).return!();
    await (cases as Stream).return!();
  });

  it('cuts a subscriber that lets more than SUBSCRIPTION_MAX_QUEUE events wait, with SLOW_CONSUMER', async () => {
    const stream = await subscribe(partner('es-slow', ['ES']), { filter: { jurisdictions: ['ES'] } });
    for (let i = 0; i <= MAX_QUEUE + 1; i++) await issue('ES');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const error = await stream.next().then(
      () => undefined,
      (thrown: { extensions?: Record<string, unknown> }) => thrown,
    );
    expect(error?.extensions).toMatchObject({ code: 'SLOW_CONSUMER', maxQueuedEvents: MAX_QUEUE });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends a subscription resumed beyond the retention window with EVENTS_MISSED', async () => {
    const db = stack.databases['wanted-persons']!;
    await db.query('insert into record_event_pruned (through_seq) values (1) on conflict (singleton) do update set through_seq = 1');
    const stream = await subscribe(partner('fr-missed', ['FR']), { after: '0' });
    const error = await next(stream).then(
      () => undefined,
      (thrown: { extensions?: Record<string, unknown> }) => thrown,
    );
    expect(error?.extensions).toMatchObject({ code: 'EVENTS_MISSED' });
  });
});

describe('subscriptions refused before they stream', () => {
  const refusal = async (caller: Caller, query: string, variables: Record<string, unknown> = {}, lastEventId?: string) => {
    const outcome = await stack.gateway.subscribe(caller, { query, variables, ...(lastEventId ? { lastEventId } : {}) });
    expect(Symbol.asyncIterator in outcome).toBe(false);
    return outcome as ExecutionResult;
  };
  const codes = (result: ExecutionResult) => result.errors?.map((error) => error.extensions?.code);
  const reader = partner('fr-reader', ['FR']);

  it.each([
    ['a document that does not parse', 'subscription {', 'GRAPHQL_PARSE_FAILED'],
    ['a field the schema does not have', 'subscription { nope { id } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['two root fields', 'subscription { wantedPersonEvents { id } caseEvents { id } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown notice type', 'subscription { wantedPersonEvents(filter: { noticeTypes: [PINK] }) { id } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a query', '{ wantedPerson(id: "W000000001") { id } }', 'OPERATION_RESOLUTION_FAILURE'],
    ['an unknown jurisdiction', 'subscription { wantedPersonEvents(filter: { jurisdictions: ["France"] }) { id } }', 'BAD_USER_INPUT'],
    ['an `after` that is no event id', 'subscription { wantedPersonEvents(after: "yesterday") { id } }', 'BAD_USER_INPUT'],
  ])('refuses %s', async (_, query, code) => {
    expect(codes(await refusal(reader, query))).toEqual([code]);
  });

  it('refuses a subscriber without wanted:read whole, as a query would be', async () => {
    const result = await refusal(partner('fr-none', ['FR'], ['case:read']), 'subscription { wantedPersonEvents { id } }');
    expect(result.data).toBeNull();
    expect(codes(result)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('refuses personal fields without a declared purpose', async () => {
    const result = await refusal(partner('fr-pii', ['FR'], ['wanted:read', 'wanted:pii'], null), EVENTS);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' });
  });

  it('refuses an anonymous caller', async () => {
    expect(codes(await refusal({ principal: null, purpose: null }, EVENTS))).toEqual(['UNAUTHENTICATED']);
  });
});
