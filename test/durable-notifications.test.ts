import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { type BuiltSubgraph, type SubgraphServerOptions } from '../subgraphs/kit/index.ts';
import { type Db, openDb } from '../subgraphs/kit/db/db.ts';
import { ownershipNotifierFor } from '../subgraphs/kit/links/ownership-notifier.ts';
import { graphql } from './support/graphql-client.ts';
import { identityKeys, relayIdentityKeys } from './support/identity.ts';
import { type RoundRobinProxy, startRoundRobinProxy } from './support/round-robin-proxy.ts';
import { type Stack, startStack } from './support/stack.ts';
import { testConfig } from './support/test-config.ts';
import { bearer } from './support/tokens.ts';

// An owner's release decision reaches the case links of a keeper that was down for longer than any identity
// minted for the write lives (30 s, 5 s of tolerance) and than the notifier once retried (27 s): the
// notification waits in the owner's database and one of its two replicas delivers it when the keeper is back.

const PERSON_OWNER: Partial<DevTokenClaims> = { subject: 'fr-analyst', agency: 'FRPN00001', jurisdictions: ['FR'] };
const CASE_OWNER: Partial<DevTokenClaims> = { subject: 'de-investigator', agency: 'DEBKA0001', jurisdictions: ['FR', 'DE'] };
const PARTNER: Partial<DevTokenClaims> = { subject: 'es-analyst', agency: 'ESPN00001', jurisdictions: ['FR', 'DE', 'ES'] };

const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
  amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }`;
const OPEN = `mutation Open($input: OpenCaseInput!, $key: String!) { openCase(input: $input, idempotencyKey: $key) { caseNumber version } }`;
const LINK = `mutation Link($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseSubject(caseNumber: $c, expectedVersion: $v, personId: $id, idempotencyKey: $key) { version } }`;
const SUBJECTS = `query Subjects($c: ID!) { case(caseNumber: $c) { subjects { totalCount } } }`;
const OUTAGE_MS = 36_000;

let stack: Stack;
let balancer: RoundRobinProxy;
/** The owner's database, as the test reads it. */
let probe: Db;
const replicas: { server: BuiltSubgraph; url: string }[] = [];
beforeAll(async () => {
  // wanted-persons runs as two replicas on one database, with a relay that retries every 2 s at most: the
  // gateway reaches them through a balancer, case-status (asking back) at the stack's own replica's port,
  // which the first takes over, so no replica retries on the defaults.
  balancer = await startRoundRobinProxy();
  stack = await startStack('postgres', { gatewayEnv: { WANTED_PERSONS_URL: `${balancer.origin}/graphql` } });
  const [database] = await stack.databases['wanted-persons']!.query<{ name: string }>('select current_database() as name');
  const url = new URL(testConfig.TEST_POSTGRES_URL);
  url.pathname = `/${database!.name}`;
  const stackPort = Number(new URL(stack.subgraphUrls['wanted-persons']!).port);
  await stack.subgraphs['wanted-persons']!.close();
  const { buildServer } = (await import('../subgraphs/wanted-persons/server.ts')) as {
    buildServer: (options: SubgraphServerOptions) => Promise<BuiltSubgraph>;
  };
  const log = createLogger('test', 'silent');
  for (const port of [stackPort, 0]) {
    const notifier = ownershipNotifierFor('wanted-persons', readSupergraphConfig(), (peer) => stack.subgraphUrls[peer], log, {
      pollMs: 250,
      backoff: { firstMs: 250, maxMs: 2_000 },
    });
    const db = await openDb({ url: url.toString() });
    const server = await buildServer({
      db,
      log,
      seed: 'none',
      identityKeys: await identityKeys(),
      relayIdentityKeys: await relayIdentityKeys(),
      notifier,
    });
    replicas.push({ server, url: await server.listen(port, '127.0.0.1') });
  }
  balancer.setBackends(replicas.map(({ url }) => Number(new URL(url).port)));
  probe = await openDb({ url: url.toString() });
}, 120_000);
afterAll(async () => {
  await probe?.close();
  await Promise.all(replicas.map(({ server }) => server.close()));
  await stack?.close();
  await balancer?.close();
});

const write = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) => {
  const response = await graphql(stack.gatewayUrl, query, { ...variables, key: randomUUID() }, await bearer(claims));
  expect(response.errors).toBeUndefined();
  return Object.values(response.data!)[0] as Record<string, any>;
};
const subjectsSeenBy = async (claims: Partial<DevTokenClaims>, caseNumber: string) =>
  (await graphql(stack.gatewayUrl, SUBJECTS, { c: caseNumber }, await bearer(claims))).data?.case?.subjects ?? null;
const pending = async (id: string) => (await probe.query('select seq from ownership_notification where record_id = $1', [id])).length;

/** What the first replica's /metrics says waits in the outbox the replicas share. */
async function pendingMetric(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', replicas[0]!.url))).text();
  return Number(/^liaison_ownership_notifications_pending\{subgraph="wanted-persons"\} (\S+)$/m.exec(text)?.[1]);
}

/** Makes `server` drop every request (new and on open connections) until the returned function restores it. */
function takeDown(server: Server): () => void {
  const serving = server.listeners('request') as ((...args: unknown[]) => void)[];
  const drop = (req: { socket: { destroy(): void } }) => req.socket.destroy();
  server.removeAllListeners('request');
  server.on('request', drop);
  return () => {
    server.off('request', drop);
    for (const listener of serving) server.on('request', listener);
  };
}

describe('durable ownership notifications', () => {
  it('updates the snapshot of a keeper that was down for longer than any identity of the write lives, once it is back', async () => {
    const person = await write(PERSON_OWNER, ISSUE, {
      input: {
        familyName: 'Durable',
        givenNames: 'Dana',
        sex: 'UNKNOWN',
        noticeType: 'BLUE',
        jurisdiction: 'FR',
        releasability: { mode: 'ALL_GRANTED' },
      },
    });
    const opened = await write(CASE_OWNER, OPEN, { input: { title: 'Durable notifications', jurisdiction: 'DE' } });
    await write(CASE_OWNER, LINK, { c: opened.caseNumber, v: opened.version, id: person.id });
    expect(await subjectsSeenBy(PARTNER, opened.caseNumber)).toEqual({ totalCount: 1 });

    let pendingDuringOutage = Number.NaN;
    const bringBack = takeDown(stack.subgraphs['case-status']!.http);
    try {
      await write(PERSON_OWNER, AMEND, { id: person.id, v: person.version, input: { releasability: { mode: 'OWNER_ONLY' } } });
      await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
      pendingDuringOutage = await pendingMetric();
    } finally {
      bringBack();
    }

    let seen = await subjectsSeenBy(PARTNER, opened.caseNumber);
    for (const deadline = Date.now() + 10_000; seen?.totalCount !== 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await subjectsSeenBy(PARTNER, opened.caseNumber);
    }
    expect(seen).toEqual({ totalCount: 0 });
    const snapshot = await stack.databases['case-status']!.query('select release_mode from case_subject where person_id = $1', [person.id]);
    expect(snapshot).toEqual([{ release_mode: 'OWNER_ONLY' }]);
    // The keeper answered before the replica that asked it forgets the notification.
    for (const deadline = Date.now() + 5_000; (await pending(person.id)) > 0 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await pending(person.id)).toBe(0);
    expect(pendingDuringOutage).toBeGreaterThanOrEqual(1);
    expect(await pendingMetric()).toBe(0);
  }, 90_000);
});
