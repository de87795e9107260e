import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { ENGINES } from './support/databases.ts';
import { openFeed } from './support/event-feed-reader.ts';
import { askSubgraph, FULL_ACCESS, identityHeaders } from './support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';

// The record-event feed over real HTTP, as the gateway reads it: Server-Sent Events from the outbox
// that every write of the subgraph fills in its own transaction.
const ISSUE = `mutation ($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
const AMEND = `mutation ($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
  amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }`;
const CANCEL = `mutation ($id: ID!, $v: Int!, $key: String!) {
  cancelWantedNotice(id: $id, expectedVersion: $v, reason: "Withdrawn by the issuer", idempotencyKey: $key) { id version } }`;
const NOTICE = { familyName: 'Feed', givenNames: 'Tess', sex: 'FEMALE', noticeType: 'RED', jurisdiction: 'FR' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function started(engine: (typeof ENGINES)[number], label: string, recordEvents: Record<string, number>) {
  const subgraph = await startTestSubgraph(buildServer, engine, label, { recordEvents });
  const origin = subgraph.url.replace(/\/graphql$/, '');
  const ask = async (query: string, variables: Record<string, unknown>) => {
    const response = await askSubgraph(subgraph.url, query, variables);
    expect(response.errors).toBeUndefined();
    return Object.values(response.data!)[0] as { id: string; version: number };
  };
  const issue = (input: Record<string, unknown> = {}) => ask(ISSUE, { input: { ...NOTICE, ...input }, key: randomUUID() });
  const seqOf = async (id: string) =>
    Number(
      (await subgraph.counted.db.query<{ seq: unknown }>('select max(seq) as seq from record_event where record_id = $1', [id]))[0]!.seq,
    );
  const feed = async (query = '', headers: Record<string, string> = {}) =>
    openFeed(origin, query, { ...(await identityHeaders(FULL_ACCESS, 'wanted-persons')), ...headers });
  return { subgraph, origin, ask, issue, seqOf, feed };
}

describe.each(ENGINES)('the record-event feed on %s', (engine) => {
  let s: Awaited<ReturnType<typeof started>>;
  let subgraph: TestSubgraph | undefined;
  beforeAll(async () => {
    s = await started(engine, 'record_events_feed', { pollIntervalMs: 50 });
    subgraph = s.subgraph;
  });
  afterAll(() => subgraph?.stop());

  it('refuses a reader without a gateway identity for this subgraph with 401 UNAUTHENTICATED', async () => {
    const refusals = [
      await fetch(`${s.origin}/events`),
      await fetch(`${s.origin}/events?after=0`, { headers: await identityHeaders(FULL_ACCESS, 'stolen-property') }),
    ];
    const once = await identityHeaders(FULL_ACCESS, 'wanted-persons');
    (await openFeed(s.origin, '', once)).close();
    // An identity is good once, wherever it is presented.
    refusals.push(await fetch(`${s.origin}/events`, { headers: once }));
    for (const response of refusals) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
        'UNAUTHENTICATED',
      );
    }
  });

  it('tells a reader without a position where "now" is, so that resuming from it loses nothing', async () => {
    const before = await s.issue();
    const feed = await s.feed();
    const opening = await feed.next();
    const now = String(await s.seqOf(before.id));
    expect(opening).toEqual({ id: now, event: 'position', data: now });
    feed.close();
    // Written while no reader is connected: a reconnection from "now" would skip it, one from the position does not.
    const meanwhile = await s.issue();
    const resumed = await s.feed(`?after=${now}`);
    expect((await resumed.records(1))[0]).toMatchObject({ recordId: meanwhile.id });
    resumed.close();
  });

  it('serves the events after a seq in seq order, then each new one as its write commits', async () => {
    const first = await s.issue();
    const second = await s.issue({ noticeType: 'YELLOW', jurisdiction: 'DE' });
    const feed = await s.feed(`?after=${await s.seqOf(first.id)}`);
    expect(feed.status).toBe(200);
    expect(feed.contentType).toBe('text/event-stream; charset=utf-8');
    const [backlog] = await feed.records(1);
    const seq = await s.seqOf(second.id);
    expect(backlog).toEqual({
      id: String(seq),
      seq,
      entity: 'WantedPerson',
      recordId: second.id,
      change: 'CREATED',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      owningAgency: FULL_ACCESS.principal!.agency,
      jurisdiction: 'DE',
      category: 'YELLOW',
    });
    const moved = await s.ask(AMEND, { id: second.id, v: 1, input: { jurisdiction: 'FR' }, key: randomUUID() });
    const amended = await s.ask(AMEND, { id: second.id, v: moved.version, input: { noticeType: 'BLUE' }, key: randomUUID() });
    await s.ask(CANCEL, { id: second.id, v: amended.version, key: randomUUID() });
    const live = await feed.records(3);
    expect(live.map(({ recordId, change, jurisdiction, category }) => ({ recordId, change, jurisdiction, category }))).toEqual([
      { recordId: second.id, change: 'RELEASE_CHANGED', jurisdiction: 'FR', category: 'YELLOW' },
      { recordId: second.id, change: 'AMENDED', jurisdiction: 'FR', category: 'BLUE' },
      { recordId: second.id, change: 'CANCELLED', jurisdiction: 'FR', category: 'BLUE' },
    ]);
    expect(live.map((event) => event['seq'] as number)).toEqual([...live.map((event) => event['seq'] as number)].sort((a, b) => a - b));
    feed.close();
  });

  it('starts from now without a position, and resumes from Last-Event-ID over after', async () => {
    await s.issue();
    const fromNow = await s.feed();
    const next = await s.issue();
    expect((await fromNow.records(1))[0]).toMatchObject({ recordId: next.id });
    fromNow.close();
    const resumed = await s.feed('?after=0', { 'last-event-id': String((await s.seqOf(next.id)) - 1) });
    expect((await resumed.records(1))[0]).toMatchObject({ recordId: next.id });
    resumed.close();
  });

  it('publishes nothing for an idempotent retry or a refused write', async () => {
    const key = randomUUID();
    const notice = await s.ask(ISSUE, { input: NOTICE, key });
    const feed = await s.feed();
    await s.ask(ISSUE, { input: NOTICE, key });
    const stale = await askSubgraph(s.subgraph.url, AMEND, { id: notice.id, v: 7, input: { noticeType: 'BLUE' }, key: randomUUID() });
    expect(stale.errors?.[0]?.extensions?.['code']).toBe('CONFLICT');
    const sentinel = await s.issue();
    expect((await feed.records(1))[0]).toMatchObject({ recordId: sentinel.id, change: 'CREATED' });
    feed.close();
  });

  it('refuses a subscription sent to the subgraph itself with a coded error: the gateway serves them', async () => {
    // With or without the read scope: nothing is read, so nothing depends on the rules.
    for (const caller of [FULL_ACCESS, { ...FULL_ACCESS, principal: { ...FULL_ACCESS.principal!, scopes: new Set<string>() } }]) {
      const response = await askSubgraph(
        s.subgraph.url,
        'subscription { wantedPersonEvents(filter: { noticeTypes: [RED] }) { id change at person { id } } }',
        {},
        caller,
      );
      expect(response.data ?? null).toBeNull();
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('served by the Liaison gateway'),
        extensions: { code: 'BAD_REQUEST' },
      });
    }
  });

  it('refuses a position that is not a seq with 400 BAD_REQUEST', async () => {
    const response = await fetch(`${s.origin}/events?after=-1`, { headers: await identityHeaders(FULL_ACCESS, 'wanted-persons') });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('stops reading the outbox once the reader goes away', async () => {
    const feed = await s.feed();
    await sleep(200);
    s.subgraph.counted.reset();
    await sleep(300);
    expect(s.subgraph.counted.backgroundCount()).toBeGreaterThan(0);
    feed.close();
    await sleep(200);
    s.subgraph.counted.reset();
    await sleep(500);
    expect(s.subgraph.counted.backgroundCount()).toBe(0);
  });

  it('ends open streams cleanly when the subgraph stops, without holding up its drain', async () => {
    const feed = await s.feed();
    await sleep(100);
    const stopping = Date.now();
    await s.subgraph.stop();
    subgraph = undefined;
    expect(Date.now() - stopping).toBeLessThan(3_000);
    let frame;
    do frame = await feed.next(1_000);
    while (frame?.comment !== undefined || frame?.event === 'position');
    expect(frame).toBeNull();
  });
});

describe.each(ENGINES)('record-event retention on %s', (engine) => {
  let s: Awaited<ReturnType<typeof started>>;
  beforeAll(async () => {
    s = await started(engine, 'record_events_retention', { pollIntervalMs: 50, pruneIntervalMs: 100, retentionHours: 24 });
  });
  afterAll(() => s?.subgraph.stop());

  it('deletes events past the window, and tells a reader behind it that it missed events, once, then closes', async () => {
    const old = await s.issue();
    const kept = await s.issue();
    const oldSeq = await s.seqOf(old.id);
    await s.subgraph.counted.db.query(`update record_event set occurred_at = now() - interval '25 hours' where seq = $1`, [oldSeq]);
    for (let waited = 0; (await s.subgraph.counted.db.query('select 1 from record_event_pruned')).length === 0; waited += 50) {
      if (waited > 5_000) throw new Error('retention did not run');
      await sleep(50);
    }
    const behind = await s.feed('?after=0');
    expect(await behind.next()).toEqual({ event: 'missed', data: JSON.stringify({ oldestSeq: oldSeq + 1 }) });
    expect(await behind.next()).toBeNull();
    const current = await s.feed(`?after=${oldSeq}`);
    expect((await current.records(1))[0]).toMatchObject({ recordId: kept.id });
    current.close();
  });
});
