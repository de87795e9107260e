import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './support/graphql-client.ts';
import { openSse, type SseStream } from './support/sse-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { initSocket, type RawSocket, within } from './support/subscription-clients.ts';
import { bearer } from './support/tokens.ts';

// Alerts end to end, as partners get them: the real subscription engine behind both transports, on
// PostgreSQL; a French partner on a WebSocket, a German one on SSE, notices issued through the gateway.

const OWNER = { subject: 'alerts-fr-owner', agency: 'FRPN00001', jurisdictions: ['FR', 'DE'] };
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id } }`;
const ALERTS = 'subscription Alerts { wantedPersonEvents { id change person { id jurisdiction familyName } } }';
const PURPOSE = { code: 'BORDER_CHECK', reference: 'POST-9' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('postgres');
}, 120_000);
afterAll(() => stack?.close());

const issue = async (jurisdiction: string) => {
  const input = { familyName: 'Wire', givenNames: 'Ada', sex: 'UNKNOWN', noticeType: 'BLUE', jurisdiction };
  const response = await graphql(stack.gatewayUrl, ISSUE, { input, key: randomUUID() }, await bearer(OWNER));
  expect(response.errors).toBeUndefined();
  return (response.data as { issueWantedNotice: { id: string } }).issueWantedNotice.id;
};
const partner = (subject: string, jurisdictions: string[]) =>
  bearer({ subject, agency: 'ESPN00001', scopes: ['wanted:read'], jurisdictions }, PURPOSE);
const personOf = (result: any) => result?.data?.wantedPersonEvents?.person;

describe('alerts over the wire', () => {
  let socket: RawSocket;
  let sse: SseStream;
  afterAll(() => {
    socket?.socket.close();
    sse?.abort();
  });

  it('gives the WebSocket partner granted FR the French notice with the fields its scopes allow, and the SSE partner granted DE only the German one', async () => {
    socket = await initSocket(stack.gatewayUrl, await partner('alerts-fr-partner', ['FR']));
    socket.send({ type: 'subscribe', id: 'fr', payload: { query: ALERTS } });
    sse = await openSse(`${stack.gatewayUrl}?query=${encodeURIComponent(ALERTS)}`, { headers: await partner('alerts-de-partner', ['DE']) });
    expect(sse.status).toBe(200);
    // Both streams are live once a first event reaches each of them (the feed opens on the first subscriber).
    const french = await issue('FR');
    const german = await issue('DE');

    const message = await socket.next((candidate) => candidate.type === 'next' && personOf(candidate.payload)?.id === french, 15_000);
    expect(personOf(message.payload)).toEqual({ id: french, jurisdiction: 'FR', familyName: null });
    expect(message.payload.errors).toEqual([
      expect.objectContaining({
        path: ['wantedPersonEvents', 'person', 'familyName'],
        extensions: expect.objectContaining({ code: 'UNAUTHORIZED_FIELD_OR_TYPE' }),
      }),
    ]);
    expect(socket.messages.some((candidate) => personOf(candidate.payload)?.id === german)).toBe(false);

    const event = await sse.next((candidate) => candidate.event === 'next' && personOf(candidate.data)?.id === german, 15_000);
    expect(event.id).toMatch(/^\d+$/);
    expect(sse.events.filter((candidate) => candidate.event === 'next').map((candidate) => personOf(candidate.data)?.id)).toEqual([german]);
  });

  it('puts each delivery in the owner’s audit trail as the subscriber, with its purpose, and none for the partner it was withheld from', async () => {
    const disclosures = await stack.databases['wanted-persons']!.query<{
      partner_subject: string;
      purpose_code: string;
      purpose_reference: string;
    }>(
      `select partner_subject, purpose_code, purpose_reference from audit_entry
        where kind = 'DISCLOSURE' and partner_subject like 'alerts-%-partner' and operation_name = 'Alerts'`,
    );
    expect(disclosures).toEqual(
      expect.arrayContaining([
        { partner_subject: 'alerts-fr-partner', purpose_code: 'BORDER_CHECK', purpose_reference: 'POST-9' },
        { partner_subject: 'alerts-de-partner', purpose_code: 'BORDER_CHECK', purpose_reference: 'POST-9' },
      ]),
    );
    expect(disclosures).toHaveLength(2);
  });

  it('refuses a subscription past the query limits when it is opened, over WebSocket and SSE, with QUERY_TOO_COMPLEX', async () => {
    const aliases = Array.from({ length: 101 }, (_, n) => `a${n}: id`).join(' ');
    const query = `subscription Wide { wantedPersonEvents { ${aliases} } }`;
    const raw = await initSocket(stack.gatewayUrl, await partner('alerts-wide', ['FR']));
    raw.send({ type: 'subscribe', id: 'wide', payload: { query } });
    const refused = await raw.next((message) => message.id === 'wide');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    raw.socket.close();

    // Over SSE a refusal after the headers is the stream's one result, then the end.
    const stream = await openSse(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`, {
      headers: await partner('alerts-wide', ['FR']),
    });
    await within(stream.ended, 5_000, 'the refused stream to end');
    expect(stream.events[0]).toMatchObject({ event: 'next', data: { errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }] } });
  });

  it('refuses a subscription over the tier’s cost budget when it is opened, as a query of the same selection would be', async () => {
    // 1 + 1 + 100 x (1 + 1 + 100 x (1 + 1 + 100 x 1)): each event's lookup would cost over a million.
    const query =
      'subscription Costly { caseEvents { case { subjects(first: 100) { nodes { cases(first: 100) { nodes { subjects(first: 100) { nodes { id } } } } } } } } }';
    const headers = bearer(
      { subject: 'alerts-costly', agency: 'ESPN00001', scopes: ['case:read', 'case:restricted'], jurisdictions: ['FR'] },
      PURPOSE,
    );
    const raw = await initSocket(stack.gatewayUrl, await headers);
    raw.send({ type: 'subscribe', id: 'costly', payload: { query } });
    const refused = await raw.next((message) => message.id === 'costly');
    expect(refused.type).toBe('error');
    expect(refused.payload[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
    raw.socket.close();

    const asQuery = await graphql(
      stack.gatewayUrl,
      query.replace('subscription Costly { caseEvents { case {', 'query Costly { cases(first: 1) { nodes {'),
      {},
      await headers,
    );
    expect(asQuery.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost' });
  });

  it('tells a partner that selected only the event’s own fields nothing about a record it may not see', async () => {
    const query = 'subscription Bare { wantedPersonEvents { id change at } }';
    const raw = await initSocket(stack.gatewayUrl, await partner('alerts-bare-de', ['DE']));
    raw.send({ type: 'subscribe', id: 'bare', payload: { query } });
    const french = await issue('FR');
    const german = await issue('DE');
    const seen = await raw.next((message) => message.id === 'bare' && message.type === 'next', 15_000);
    // The first event it hears of is the German notice's: the French one, committed before, never came.
    const seqOf = async (id: string) =>
      String(
        (
          await stack.databases['wanted-persons']!.query<{ seq: unknown }>(
            'select max(seq) as seq from record_event where record_id = $1',
            [id],
          )
        )[0]!.seq,
      );
    expect(seen.payload.data.wantedPersonEvents.id).toBe(await seqOf(german));
    expect(await seqOf(french)).not.toBe(await seqOf(german));
    raw.socket.close();
  });
});
