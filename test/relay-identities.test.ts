import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER, IdentitySigner, RELAY_ISSUER } from '../lib/identity/internal-identity.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../lib/observability/request-metadata.ts';
import { relayIdentities } from '../subgraphs/kit/links/relay-identities.ts';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { graphql } from './support/graphql-client.ts';
import { FULL_ACCESS } from './support/identity.ts';
import { type Stack, startStack } from './support/stack.ts';

// The ownership-notification relay signs identities with a key of its own, without a partner present: a
// keeper and the owner accept them for the notification and its read-back, and for nothing else.

const REFRESH = 'mutation Refresh($entity: String!, $ids: [ID!]!) { refreshLinkSnapshots(entity: $entity, ids: $ids) }';
const OWNERSHIP = `query LinkedOwnership($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on WantedPerson { id owningAgency jurisdiction releasability { mode jurisdictions agencies } } } }`;
const CONTENT = `query Content($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on WantedPerson { id familyName } } }`;
const representations = [{ __typename: 'WantedPerson', id: personId(1) }];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
}, 120_000);
afterAll(async () => {
  await stack?.close();
});

/** One delivery's identities, as the relay of wanted-persons mints them for case-status. */
const minted = () => relayIdentities('wanted-persons', undefined)('case-status', FULL_ACCESS);
const ask = (subgraph: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) =>
  graphql(stack.subgraphUrls[subgraph]!, query, variables, headers);
const presenting = (identity: string, requestId: string, onward?: string) => ({
  [IDENTITY_HEADER]: identity,
  [GATEWAY_REQUEST_ID_HEADER]: requestId,
  ...(onward ? { [DELEGATED_IDENTITY_HEADER]: onward } : {}),
});

describe('identities the notification relay signs', () => {
  it('tell a keeper to re-read records, which it reads back from the owner with the onward identity', async () => {
    const { identity, onward, requestId } = (await minted())!;
    const answer = await ask(
      'case-status',
      REFRESH,
      { entity: 'WantedPerson', ids: [personId(1)] },
      presenting(identity, requestId, onward),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ refreshLinkSnapshots: 1 });
  });

  it('run no other operation at the keeper', async () => {
    const { identity, onward, requestId } = (await minted())!;
    const cases = await ask('case-status', '{ cases(first: 1) { totalCount } }', {}, presenting(identity, requestId, onward));
    expect(cases.status).toBe(401);
    expect(cases.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(cases.data ?? null).toBeNull();
  });

  it('at the owner, read ownership back and nothing of a record’s content', async () => {
    const first = (await minted())!;
    const ownership = await ask('wanted-persons', OWNERSHIP, { representations }, presenting(first.onward!, first.requestId));
    expect(ownership.errors).toBeUndefined();
    expect(ownership.data?._entities).toEqual([expect.objectContaining({ id: personId(1) })]);
    const second = (await minted())!;
    const content = await ask('wanted-persons', CONTENT, { representations }, presenting(second.onward!, second.requestId));
    expect(content.status).toBe(401);
    expect(content.data ?? null).toBeNull();
    const third = (await minted())!;
    const lookup = await ask('wanted-persons', '{ wantedPerson(id: "x") { familyName } }', {}, presenting(third.onward!, third.requestId));
    expect(lookup.status).toBe(401);
  });

  it('are not accepted where the keeper’s one would go elsewhere, nor at the record-event feed', async () => {
    const { identity, requestId } = (await minted())!;
    // The keeper's identity names case-status alone.
    const elsewhere = await ask('wanted-persons', REFRESH, { entity: 'WantedPerson', ids: [] }, presenting(identity, requestId));
    expect(elsewhere.status).toBe(401);
    const next = (await minted())!;
    const feed = await fetch(new URL('/events', stack.subgraphUrls['wanted-persons']), {
      headers: presenting(next.onward!, next.requestId),
    });
    expect(feed.status).toBe(401);
    await feed.body?.cancel();
  });

  it('count only when the relay’s key signed them as the relay, for an operation they name', async () => {
    const gatewayAsRelay = await IdentitySigner.create((await devKeyPair('gateway-identity')).privateJwk, RELAY_ISSUER);
    const relayAsGateway = await IdentitySigner.create((await devKeyPair('notification-relay')).privateJwk);
    const relay = await IdentitySigner.create((await devKeyPair('notification-relay')).privateJwk, RELAY_ISSUER);
    const cases = [
      { signer: gatewayAsRelay, operation: 'refreshLinkSnapshots' as const },
      { signer: relayAsGateway, operation: 'refreshLinkSnapshots' as const },
      { signer: relay, operation: undefined },
    ];
    for (const { signer, operation } of cases) {
      const requestId = randomUUID();
      const identity = await signer.sign(FULL_ACCESS, { subgraph: 'case-status', requestId, operation });
      const answer = await ask('case-status', REFRESH, { entity: 'WantedPerson', ids: [personId(1)] }, presenting(identity, requestId));
      expect(answer.status).toBe(401);
    }
  });
});
