import { randomUUID } from 'node:crypto';
import type { GraphqlResponse } from './graphql-client.ts';
import type { Target } from './leak-cast.ts';

const VERSION: Record<Target['kind'], string> = {
  person: 'query($id: ID!) { record: wantedPerson(id: $id) { version } }',
  property: 'query($id: ID!) { record: propertyItem(id: $id) { version } }',
  case: 'query($id: ID!) { record: case(caseNumber: $id) { version } }',
};

const AMEND: Record<Target['kind'], string> = {
  person:
    'mutation($id: ID!, $v: Int!, $key: String!) { amendWantedNotice(id: $id, expectedVersion: $v, input: { releasability: { mode: REFERENCE_ONLY } }, idempotencyKey: $key) { id } }',
  property:
    'mutation($id: ID!, $v: Int!, $key: String!) { amendPropertyItem(id: $id, expectedVersion: $v, input: { releasability: { mode: REFERENCE_ONLY } }, idempotencyKey: $key) { id } }',
  case: 'mutation($id: ID!, $v: Int!, $key: String!) { amendCase(caseNumber: $id, expectedVersion: $v, input: { releasability: { mode: REFERENCE_ONLY } }, idempotencyKey: $key) { caseNumber } }',
};

/**
 * The owner releases `records` REFERENCE_ONLY through its ordinary amendments, sent by `send` (the
 * owner's requests to the gateway), as of each record's current version. Each amendment answers once
 * the case links' snapshots follow it, so the records are references everywhere when this returns.
 */
export async function releaseAsReference(
  send: (query: string, variables: Record<string, unknown>) => Promise<GraphqlResponse>,
  records: Target[],
): Promise<void> {
  for (const { kind, row } of records) {
    const current = await send(VERSION[kind], { id: row.id });
    const amended = await send(AMEND[kind], { id: row.id, v: current.data?.record?.version, key: randomUUID() });
    if (amended.errors || !current.data?.record) throw new Error(`${row.id} not released REFERENCE_ONLY: ${JSON.stringify(amended)}`);
  }
}
