import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { createTestDatabase, ENGINES, type TestDatabase } from './support/databases.ts';
import { askSubgraph, FULL_ACCESS, identityKeys } from './support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';
import { type Db, openDb } from '../subgraphs/kit/db/db.ts';
import type { BuiltSubgraph, SubgraphServerOptions } from '../subgraphs/kit/index.ts';
import type { HitConfirmationSettings } from '../subgraphs/hit-confirmations/hit-confirmation-settings.ts';
import { buildServer } from '../subgraphs/hit-confirmations/server.ts';

// The deadlines of hit confirmation requests: a request unanswered at its deadline is sent again (OVERDUE),
// then ESCALATED, each step taken exactly once, by one replica of several, and after a restart.

const SETTINGS: HitConfirmationSettings = { deadlines: { URGENT: 1, ROUTINE: 1 }, escalations: { URGENT: 1, ROUTINE: 1 }, sweepMs: 100 };
const OWNER: Caller = {
  ...FULL_ACCESS,
  principal: { ...FULL_ACCESS.principal!, agency: 'FRPN00001', scopes: new Set(['hit-confirmations:read', 'hit-confirmations:write']) },
};
const build = (options: SubgraphServerOptions) => buildServer(options, SETTINGS);
const ANSWER = `mutation($input: AnswerHitConfirmationInput!, $v: Int!, $key: String!) {
  answerHitConfirmation(input: $input, expectedVersion: $v, idempotencyKey: $key) { status } }`;
const ONE = `query($id: ID!) { hitConfirmationRequest(id: $id) { status secondRequestAt escalatedAt history { step agency } } }`;

/** Requests made straight in the database (an owner subgraph would be asked otherwise), due in `ms`. */
async function dueRequests(db: Db, count: number, ms: number): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `insert into hit_confirmation_request (id, record_type, record_id, priority, requesting_agency, purpose_code, due_at,
       owning_agency, jurisdiction, release_agencies, source_system)
     select 'H' || lpad(nextval('hit_confirmation_request_number')::text, 9, '0'), 'WantedPerson', 'W000000001', 'URGENT', 'ESPN00001',
       'OPERATIONS', now() + make_interval(secs => $2::integer / 1000.0), 'FRPN00001', 'FR', array['ESPN00001'], 'test'
     from generate_series(1, $1::integer) returning id`,
    [count, ms],
  );
  return rows.map((row) => row.id);
}

/** How many times each step was taken for `ids`, and how many record events each request has. */
async function stepsTaken(db: Db, ids: string[]) {
  const steps = await db.query<{ step: string; n: number }>(
    `select step, count(*)::int as n from hit_confirmation_step where request_id = any($1::text[]) group by step order by step`,
    [ids],
  );
  const events = await db.query<{ category: string; n: number }>(
    `select category, count(*)::int as n from record_event where record_id = any($1::text[]) group by category order by category`,
    [ids],
  );
  // Each step is also a hit told to the record's owner (hitsOnOwnRecords), in the same transaction.
  const hits = await db.query<{ status: string; n: number }>(
    `select detail->>'status' as status, count(*)::int as n from record_event
     where entity = 'HitOnOwnRecord' and detail->>'requestId' = any($1::text[]) group by 1 order by 1`,
    [ids],
  );
  return {
    steps: Object.fromEntries(steps.map((row) => [row.step, row.n])),
    events: Object.fromEntries(events.map((row) => [row.category, row.n])),
    hits: Object.fromEntries(hits.map((row) => [row.status, row.n])),
  };
}

async function until(condition: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (await condition()) return true;
  }
  return condition();
}
const allIn = (db: Db, ids: string[], status: string) => async () =>
  (await db.query('select 1 from hit_confirmation_request where id = any($1::text[]) and status = $2', [ids, status])).length ===
  ids.length;

describe.each(ENGINES)('hit confirmation deadlines on %s', (engine) => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(build, engine, 'hit_deadlines');
  });
  afterAll(() => subgraph?.stop());
  const ask = (query: string, variables: Record<string, unknown>) => askSubgraph(subgraph.url, query, variables, OWNER);

  it('sends an unanswered request again at its deadline, then escalates it, each once', async () => {
    const [id] = await dueRequests(subgraph.counted.db, 1, 1_500);
    expect((await ask(ONE, { id })).data!.hitConfirmationRequest.status).toBe('PENDING');
    expect(await until(allIn(subgraph.counted.db, [id!], 'ESCALATED'), 10_000)).toBe(true);
    const request = (await ask(ONE, { id })).data!.hitConfirmationRequest;
    expect(request.history).toEqual([
      { step: 'OVERDUE', agency: null },
      { step: 'ESCALATED', agency: null },
    ]);
    expect(Date.parse(request.escalatedAt) - Date.parse(request.secondRequestAt)).toBeGreaterThanOrEqual(1_000);
    expect(await stepsTaken(subgraph.counted.db, [id!])).toEqual({
      steps: { ESCALATED: 1, OVERDUE: 1 },
      events: { ESCALATED: 1, OVERDUE: 1 },
      hits: { ESCALATED: 1, OVERDUE: 1 },
    });
    const metrics = await (await fetch(new URL('/metrics', subgraph.url))).text();
    expect(metrics).toMatch(/^liaison_hit_confirmation_deadline_steps_total\{owning_agency="FRPN00001",step="ESCALATED"\} [1-9]/m);
    expect(metrics).toMatch(/^liaison_hit_confirmation_requests\{owning_agency="FRPN00001",status="ESCALATED"\} [1-9]/m);
    // An escalated request can still be answered, which ends its deadlines.
    expect((await ask(ANSWER, { input: { requestId: id, answer: 'CONFIRMED' }, v: 3, key: randomUUID() })).data).toEqual({
      answerHitConfirmation: { status: 'CONFIRMED' },
    });
  });

  it('takes no step for a request answered in time, and gives one answered with more time its new deadline', async () => {
    // Due in 3 s, answered at once: the margins hold on a loaded machine.
    const [answered, extended] = await dueRequests(subgraph.counted.db, 2, 3_000);
    await ask(ANSWER, { input: { requestId: answered, answer: 'NOT_CONFIRMED' }, v: 1, key: randomUUID() });
    await ask(ANSWER, { input: { requestId: extended, answer: 'NEEDS_MORE_TIME', extendBySeconds: 5 }, v: 1, key: randomUUID() });
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect((await ask(ONE, { id: answered })).data!.hitConfirmationRequest.status).toBe('NOT_CONFIRMED');
    expect((await ask(ONE, { id: extended })).data!.hitConfirmationRequest.status).toBe('EXTENDED');
    expect(await until(allIn(subgraph.counted.db, [extended!], 'OVERDUE'), 6_000)).toBe(true);
    expect((await stepsTaken(subgraph.counted.db, [answered!])).steps).toEqual({ NOT_CONFIRMED: 1 });
  });
});

describe('hit confirmation deadlines of two replicas on one PostgreSQL database', () => {
  let database: TestDatabase;
  let probe: Db;
  const replicas: BuiltSubgraph[] = [];
  const replica = async () =>
    build({
      db: await openDb({ url: database.url }),
      log: createLogger('test', 'silent'),
      seed: 'none',
      identityKeys: await identityKeys(),
    });
  const stopReplicas = () => Promise.all(replicas.splice(0).map((server) => server.close()));
  beforeAll(async () => {
    database = await createTestDatabase('hit_deadlines_replicas');
    replicas.push(...(await Promise.all([replica(), replica()])));
    probe = await openDb({ url: database.url });
  });
  afterAll(async () => {
    await stopReplicas();
    await probe?.close();
    await database?.drop();
  });

  it('take every step once between them', async () => {
    const ids = await dueRequests(probe, 40, 300);
    expect(await until(allIn(probe, ids, 'ESCALATED'), 10_000)).toBe(true);
    expect(await stepsTaken(probe, ids)).toEqual({
      steps: { ESCALATED: 40, OVERDUE: 40 },
      events: { ESCALATED: 40, OVERDUE: 40 },
      hits: { ESCALATED: 40, OVERDUE: 40 },
    });
  });

  it('lose no deadline that fell due while every replica was down, and take it once back up', async () => {
    await stopReplicas();
    const ids = await dueRequests(probe, 5, 200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await allIn(probe, ids, 'PENDING')()).toBe(true);
    replicas.push(await replica());
    expect(await until(allIn(probe, ids, 'ESCALATED'), 10_000)).toBe(true);
    expect((await stepsTaken(probe, ids)).steps).toEqual({ ESCALATED: 5, OVERDUE: 5 });
  });
});
