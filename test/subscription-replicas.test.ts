import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './support/graphql-client.ts';
import { type ServiceProcess, startServiceProcess } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { eventually, initSocket, type RawSocket } from './support/subscription-clients.ts';
import { bearer } from './support/tokens.ts';

// Two gateway replicas as their own processes over the same subgraphs (in this process, on PostgreSQL):
// one is killed (SIGKILL, no drain) while it streams to a subscriber, which resumes on the other replica
// with the last event id it received. The subgraphs' outboxes are the source of truth, so nothing is lost.

const OWNER = { subject: 'replica-owner', agency: 'FRPN00001', jurisdictions: ['FR'] };
const SUBSCRIBER = { subject: 'replica-subscriber', agency: 'ESPN00001', jurisdictions: ['FR'], scopes: ['wanted:read'] };
const WRITES = 12;
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id } }`;
const EVENTS = `subscription Alerts($after: ID) {
  wantedPersonEvents(filter: { jurisdictions: ["FR"], changes: [CREATED] }, after: $after) { id change person { id jurisdiction } } }`;

let stack: Stack;
const replicas: ServiceProcess[] = [];
const startReplica = async () => {
  const replica = await startServiceProcess('gateway/index.ts', {
    WANTED_PERSONS_URL: stack.subgraphUrls['wanted-persons'],
    STOLEN_PROPERTY_URL: stack.subgraphUrls['stolen-property'],
    CASE_STATUS_URL: stack.subgraphUrls['case-status'],
  });
  replicas.push(replica);
  return replica;
};
beforeAll(async () => {
  stack = await startStack('postgres');
}, 120_000);
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop('SIGKILL')));
  await stack?.close();
});

const issue = async (): Promise<string> => {
  const input = {
    familyName: 'Replica',
    givenNames: 'Ada',
    sex: 'UNKNOWN',
    noticeType: 'BLUE',
    jurisdiction: 'FR',
    releasability: { mode: 'ALL_GRANTED' },
  };
  const response = await graphql(stack.gatewayUrl, ISSUE, { input, key: randomUUID() }, await bearer(OWNER));
  expect(response.errors).toBeUndefined();
  return (response.data as { issueWantedNotice: { id: string } }).issueWantedNotice.id;
};

/** Subscribes on `socket`, recording each event (id and person) in `received` as it arrives. */
const follow = (raw: RawSocket, received: { id: string; person: string }[], after?: string) => {
  raw.socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as { type: string; payload?: any };
    if (message.type !== 'next') return;
    const event = message.payload.data?.wantedPersonEvents;
    if (event) received.push({ id: event.id, person: event.person.id });
  });
  raw.send({ type: 'subscribe', id: '1', payload: { query: EVENTS, variables: after ? { after } : {} } });
};

describe('two gateway replicas', () => {
  it('loses nothing for a subscriber whose replica is killed mid-stream and who resumes on the other', async () => {
    const [first, second] = await Promise.all([startReplica(), startReplica()]);
    const credentials = await bearer(SUBSCRIBER, null);
    const received: { id: string; person: string }[] = [];
    const before = await initSocket(first.url, credentials);
    follow(before, received);
    // The subscription is live once the feed is: a first write's event proves it before the count starts.
    const issued = [await issue()];
    await eventually(() => received.length === 1, 15_000, 'the first event on the first replica');

    const writing = (async () => {
      for (let n = 1; n < WRITES; n++) {
        issued.push(await issue());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    await eventually(() => received.length >= 4, 15_000, 'a few events on the first replica');
    await first.stop('SIGKILL');
    await before.closed;
    // Resuming must matter: notices are issued while no replica streams to the subscriber.
    await eventually(() => issued.length >= received.length + 2, 10_000, 'writes while the subscriber is away');

    const after = await initSocket(second.url, credentials);
    follow(after, received, received.at(-1)!.id);
    await writing;
    await eventually(() => received.length >= WRITES, 20_000, 'every event, across both replicas');
    await new Promise((resolve) => setTimeout(resolve, 300));
    after.socket.close();

    expect(received.map((event) => event.person)).toEqual(issued);
    expect(new Set(received.map((event) => event.id)).size).toBe(WRITES);
  }, 120_000);
});
