import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDevToken } from '../lib/identity/dev-token.ts';
import { personId, propertyId } from '../subgraphs/kit/seed/seed-plan.ts';
import { boundedLoad } from './support/bounded-load.ts';
import { graphql } from './support/graphql-client.ts';
import { type ReplicatedDeployment, startReplicatedDeployment } from './support/replicated-deployment.ts';
import type { RoundRobinProxy } from './support/round-robin-proxy.ts';
import type { LoadRequest, Sample } from './support/steady-load.ts';
import { sleep } from './support/steady-load.ts';
import { bearer, FULL_PARTNER, TEST_PURPOSE } from './support/tokens.ts';

// Scale-out as deployed: two gateway processes and two wanted-persons processes (the other subgraphs
// once each), over one PostgreSQL database per subgraph and one Redis. Every service sits behind a
// round-robin balancer, as behind a Kubernetes Service; partners reach the gateways through one.

/** A subject's burst; its rate refills a token per 100 s, so a spent burst stays spent for the test. */
const BURST = 20;
/** Requests the load sends at most: its partners are as many subjects as keep each within its burst. */
const LOAD_REQUESTS = 6_000;
const OWNER = { agency: 'FRPN00001', jurisdictions: ['FR'] };

let deployment: ReplicatedDeployment;
beforeAll(async () => {
  deployment = await startReplicatedDeployment({
    gatewayReplicas: 2,
    subgraphReplicas: { 'wanted-persons': 2 },
    gatewayEnv: {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_SUBJECT_BURST: String(BURST),
      RATE_LIMIT_SUBJECT_PER_SECOND: '0.01',
      // The load's partners share agencies: only the subject's bucket is under test.
      RATE_LIMIT_AGENCY_BURST: '1000000',
      RATE_LIMIT_AGENCY_PER_SECOND: '1000000',
    },
  });
}, 120_000);
afterAll(() => deployment?.close());

const gatewayUrl = (replica: number) => deployment.gateways[replica]!.process.url;
/** A partner of its own for each call, so no check spends another's rate limit. */
const partner = (claims: Partial<typeof FULL_PARTNER> = {}) => bearer({ subject: `scale-${randomUUID()}`, ...claims });

const READ = 'query Read($id: ID!, $item: ID!) { wantedPerson(id: $id) { id familyName } propertyItem(id: $item) { id } }';
const CASES = '{ cases(first: 3) { nodes { caseNumber subjects { nodes { id fullName } } } } }';
const ISSUE =
  'mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }';
const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
  amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version familyName } }`;
const NAME = 'query Name($id: ID!) { wantedPerson(id: $id) { familyName } }';
const notice = (familyName: string) => ({ familyName, givenNames: 'Ada', sex: 'UNKNOWN', noticeType: 'BLUE', jurisdiction: 'FR' });

describe('two gateway replicas over two replicas of a subgraph', () => {
  it('share rate limits: a partner that spent its burst on one gateway is refused on the other', async () => {
    const limited = await partner();
    const spent: number[] = [];
    for (let n = 0; n < BURST; n++) spent.push((await graphql(gatewayUrl(0), NAME, { id: personId(1) }, limited)).status);
    expect(spent).toEqual(Array(BURST).fill(200));

    const refused = await graphql(gatewayUrl(1), NAME, { id: personId(1) }, limited);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect((await graphql(gatewayUrl(1), NAME, { id: personId(1) }, await partner())).status).toBe(200);
  });

  it('share persisted queries: a query registered through one gateway runs by hash through the other', async () => {
    const query = `{ wantedPerson(id: "${personId(1)}") { id } } # ${randomUUID()}`;
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const post = async (replica: number, body: object) =>
      (await fetch(gatewayUrl(replica), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await partner()) },
        body: JSON.stringify(body),
      }).then((response) => response.json())) as { data?: any; errors?: { extensions?: { code?: string } }[] };

    expect((await post(1, { extensions: { persistedQuery } })).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await post(0, { query, extensions: { persistedQuery } });
    expect(registered.data).toEqual({ wantedPerson: { id: personId(1) } });
    expect(await post(1, { extensions: { persistedQuery } })).toEqual(registered);
  });

  it('serve a write made on one subgraph replica at once through every gateway and the other replica, from a cached read', async () => {
    const issued = await graphql(gatewayUrl(0), ISSUE, { input: notice('Before'), key: randomUUID() }, await partner(OWNER));
    expect(issued.errors).toBeUndefined();
    const { id, version } = issued.data!.issueWantedNotice as { id: string; version: number };
    const served: { backend: number; write: boolean }[] = [];
    const subgraph = deployment.subgraphs['wanted-persons']!;
    subgraph.observe = (backend, body) => served.push({ backend, write: body.includes('amendWantedNotice') });
    /** The family name each gateway reads, twice each, so that both subgraph replicas answer. */
    const readAll = async () => {
      const names: string[] = [];
      for (const replica of [0, 1, 0, 1]) {
        const response = await graphql(gatewayUrl(replica), NAME, { id }, await partner());
        expect(response.errors).toBeUndefined();
        names.push(response.data!.wantedPerson.familyName as string);
      }
      return names;
    };
    try {
      const hitsBefore = await cacheHits();
      expect(await readAll()).toEqual(Array(4).fill('Before'));
      // The first read filled Redis; the other three, on either replica, were served from it.
      expect((await cacheHits()) - hitsBefore).toBeGreaterThanOrEqual(3);

      const amended = await graphql(
        gatewayUrl(1),
        AMEND,
        { id, v: version, input: { familyName: 'After' }, key: randomUUID() },
        await partner(OWNER),
      );
      expect(amended.errors).toBeUndefined();
      const writer = served.find((request) => request.write)!.backend;
      served.length = 0;
      expect(await readAll()).toEqual(Array(4).fill('After'));
      expect(served.map((request) => request.backend)).toContain(1 - writer);
    } finally {
      subgraph.observe = undefined;
    }
  });

  it('answer a load through both gateways with no failed request while each replica in turn is stopped and replaced', async () => {
    const subjects = Math.ceil(LOAD_REQUESTS / BURST);
    const tokens = async (claims: object) =>
      Promise.all(
        Array.from({ length: subjects }, async (_, n) => ({
          authorization: `Bearer ${await signDevToken({ ...FULL_PARTNER, ...claims, subject: `scale-load-${n}-${deployment.prefix}` })}`,
          'liaison-purpose': TEST_PURPOSE.code,
          'liaison-purpose-reference': TEST_PURPOSE.reference,
        })),
      );
    const [readers, writers] = await Promise.all([tokens({}), tokens(OWNER)]);
    const requestAt = (n: number): LoadRequest => {
      const headers = (n % 5 === 4 ? writers : readers)[n % subjects]!;
      if (n % 5 === 4) return { kind: 'write', query: ISSUE, variables: { input: notice('Load'), key: randomUUID() }, headers };
      if (n % 5 >= 2) return { kind: 'cases', query: CASES, headers };
      return { kind: 'read', query: READ, variables: { id: personId(1), item: propertyId(1) }, headers };
    };
    // What each replica served of this load (the other checks reached the subgraph's replicas too).
    const counts = (proxy: RoundRobinProxy) => {
      const before = [...proxy.served];
      return () => proxy.served.map((count, i) => count - before[i]!);
    };
    const gatewayServed = counts(deployment.gateway);
    const subgraphServed = counts(deployment.subgraphs['wanted-persons']!);

    const load = boundedLoad(`${deployment.gateway.origin}/graphql`, requestAt, { workers: 4, maxRequests: LOAD_REQUESTS, maxMs: 150_000 });
    const restarts: { label: string; from: number; to: number; code: number | null; output: string }[] = [];
    let restarted: { gateways: number[]; subgraph: number[] };
    try {
      // Steady first: both replicas of each service take their share before any stops.
      await until(
        () => [...gatewayServed(), ...subgraphServed()].every((count) => count >= 10),
        15_000,
        'both replicas of each service serving',
      );
      for (const replica of [...deployment.gateways, ...deployment.subgraphReplicas['wanted-persons']!]) {
        const from = load.now();
        const predecessor = await deployment.restart(replica);
        restarts.push({ label: replica.label, from, to: load.now(), code: await predecessor.exited, output: predecessor.output() });
      }
      restarted = { gateways: gatewayServed(), subgraph: subgraphServed() };
      await sleep(2_000);
    } finally {
      // Stopped here too when a step above fails, so that no request is sent once the test is over.
      await load.stop();
    }

    const { samples } = load;
    const failed = samples.filter((sample) => !answered(sample)).map(describeFailure);
    expect(failed, `${failed.length} of ${samples.length} requests failed`).toEqual([]);
    // The load ran through every restart.
    expect(samples.length).toBeLessThan(LOAD_REQUESTS);
    for (const { label, from, to } of restarts) expect(samples.filter((s) => s.at > from && s.at < to).length, label).toBeGreaterThan(10);
    // Each stopped replica refused connections while the load ran, and the balancers sent them on.
    expect(deployment.gateway.refused).toBeGreaterThan(0);
    expect(deployment.subgraphs['wanted-persons']!.refused).toBeGreaterThan(0);
    // Each successor took load once it was up.
    expect(gatewayServed().every((count, i) => count > restarted.gateways[i]!)).toBe(true);
    expect(subgraphServed().every((count, i) => count > restarted.subgraph[i]!)).toBe(true);
    // Each replica drained and exited cleanly, cutting nothing.
    for (const { label, code, output } of restarts) {
      expect(code, label).toBe(0);
      expect(output, label).not.toContain('were cut');
    }
  }, 200_000);
});

/** Resolves once `condition` holds, polling; fails naming `what` after `withinMs`. */
async function until(condition: () => boolean, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await sleep(50);
  }
}

/** A load request's full answer: its data, no error. */
function answered(sample: Sample): boolean {
  const data = sample.body?.data;
  if (sample.status !== 200 || sample.body?.errors || !data) return false;
  if (sample.kind === 'write') return typeof data.issueWantedNotice?.id === 'string';
  if (sample.kind === 'cases') return Array.isArray(data.cases?.nodes) && data.cases.nodes.length > 0;
  return data.wantedPerson?.id === personId(1) && data.propertyItem?.id === propertyId(1);
}

/** What a failed request got, in a line. */
function describeFailure(sample: Sample): string {
  const body = sample.body as { errors?: { message: string; extensions?: { code?: unknown } }[]; error?: string } | undefined;
  const error = body?.errors?.[0];
  return `${Math.round(sample.at)} ms ${sample.kind}: ${sample.status} ${error ? `${String(error.extensions?.code)} ${error.message}` : (body?.error ?? '')}`;
}

/** Lookup-cache hits of wanted persons over both wanted-persons replicas, from their /metrics. */
async function cacheHits(): Promise<number> {
  const counts = await Promise.all(
    deployment.subgraphReplicas['wanted-persons']!.map(async (replica) => {
      const text = await (await fetch(replica.process.url.replace(/\/graphql$/, '/metrics'))).text();
      const line = text
        .split('\n')
        .find((row) => row.startsWith('liaison_cache_hits_total{subgraph="wanted-persons",entity="WantedPerson"}'));
      return line ? Number(line.split(' ')[1]) : 0;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}
