import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/observability/logger.ts';
import { openDb } from '../subgraphs/kit/db/db.ts';
import type { BuiltSubgraph } from '../subgraphs/kit/index.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { ENGINES } from './support/databases.ts';
import { openFeed } from './support/event-feed-reader.ts';
import { askSubgraph, FULL_ACCESS, identityHeaders, identityKeys, registerSubgraphUrl } from './support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';

// Open feeds hear a commit at once (PostgreSQL's NOTIFY, sent at commit only), not at their next
// poll: the poll is set to a minute here, so only the wake-up can deliver within the test's bound.
const ISSUE = `mutation ($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id } }`;
const NOTICE = { familyName: 'Wake', givenNames: 'Tess', sex: 'FEMALE', noticeType: 'RED', jurisdiction: 'FR' };
const POLL = { pollIntervalMs: 60_000 };

const issue = async (url: string) => {
  const response = await askSubgraph(url, ISSUE, { input: NOTICE, key: randomUUID() });
  expect(response.errors).toBeUndefined();
  return (response.data as { issueWantedNotice: { id: string } }).issueWantedNotice.id;
};
const feedOf = async (url: string) => openFeed(url.replace(/\/graphql$/, ''), '', await identityHeaders(FULL_ACCESS, 'wanted-persons'));

describe.each(ENGINES)('record-event feeds on %s', (engine) => {
  let subgraph: TestSubgraph | undefined;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'record_events_wake', { recordEvents: POLL });
  });
  afterAll(() => subgraph?.stop());

  it('deliver a committed write at once (within two seconds), whatever the poll interval (a minute here)', async () => {
    const feed = await feedOf(subgraph!.url);
    expect((await feed.next())?.event).toBe('position');
    const started = Date.now();
    const id = await issue(subgraph!.url);
    const [event] = await feed.records(1, 2_000);
    expect(event).toMatchObject({ recordId: id, change: 'CREATED' });
    expect(Date.now() - started).toBeLessThan(2_000);
    feed.close();
  });
});

describe('record-event feeds of two replicas on one PostgreSQL database', () => {
  let first: TestSubgraph | undefined;
  let second: BuiltSubgraph | undefined;
  let secondUrl = '';
  beforeAll(async () => {
    first = await startTestSubgraph(buildServer, 'postgres', 'record_events_replicas', { recordEvents: POLL });
    second = await buildServer({
      db: await openDb({ url: first.databaseUrl }),
      log: createLogger('test', 'silent'),
      seed: 'demo',
      identityKeys: await identityKeys(),
      auditKey: first.auditKey,
      recordEvents: POLL,
    });
    secondUrl = await second.listen(0, '127.0.0.1');
    registerSubgraphUrl(secondUrl, second.name);
  });
  afterAll(async () => {
    await second?.close();
    await first?.stop();
  });

  it('wake each other: a write committed on one reaches a feed open on the other at once', async () => {
    const feed = await feedOf(secondUrl);
    expect((await feed.next())?.event).toBe('position');
    const id = await issue(first!.url);
    const [event] = await feed.records(1, 2_000);
    expect(event).toMatchObject({ recordId: id, change: 'CREATED' });
    feed.close();
  });
});
