import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../../lib/authz/scopes.ts';
import type { Caller } from '../../../lib/authz/principal.ts';
import { enforceReleaseDecisions } from './release-decisions.ts';

const SDL = `directive @key(fields: String!) on OBJECT
  type Query { record: Ledger, other: Other }
  type Ledger @key(fields: "ref") { ref: ID! owningAgency: String! releasedInFull: Boolean! secret: String }
  type Other { owningAgency: String! secret: String }`;
const ROW = { ref: 'L1', owningAgency: 'FRPN00001', owning_agency: 'FRPN00001', release_mode: 'REFERENCE_ONLY', secret: 'the content' };
const caller = (agency: string): Caller => ({
  principal: { subject: 'release-test', agency, scopes: new Set(ALL_SCOPES), jurisdictions: ['FR'] },
  purpose: null,
});

/** The test schema with the wrapper on, answering `row` for every record field. */
function schemaWith(audited: Record<string, (row: never) => string>, sdl = SDL) {
  const schema = buildSchema(sdl);
  for (const name of ['record', 'other'] as const) schema.getQueryType()!.getFields()[name]!.resolve = () => ROW;
  enforceReleaseDecisions(schema, sdl, audited, (context) => (context as { caller: Caller }).caller);
  return schema;
}
const ask = (schema: ReturnType<typeof schemaWith>, agency: string, query = '{ record { ref owningAgency secret } }') =>
  graphql({ schema, source: query, contextValue: { caller: caller(agency) } });

describe('reference-only release decisions', () => {
  it('serves a partner the key and reference fields, and every other field as null with NOT_RELEASED', async () => {
    const result = await ask(schemaWith({ Ledger: () => 'L1' }), 'ESPN00001');
    expect(result.data).toEqual({ record: { ref: 'L1', owningAgency: 'FRPN00001', secret: null } });
    expect(result.errors?.map((error) => [error.path, error.extensions.code])).toEqual([[['record', 'secret'], 'NOT_RELEASED']]);
    expect(JSON.stringify(result)).not.toContain('the content');
  });

  it('serves the owning agency its record in full', async () => {
    const result = await ask(schemaWith({ Ledger: () => 'L1' }), 'FRPN00001');
    expect(result).toEqual({ data: { record: { ref: 'L1', owningAgency: 'FRPN00001', secret: 'the content' } } });
  });

  it('leaves types alone that are not audited records of this subgraph', async () => {
    const result = await ask(schemaWith({ Ledger: () => 'L1' }), 'ESPN00001', '{ other { secret } }');
    expect(result).toEqual({ data: { other: { secret: 'the content' } } });
  });

  it('refuses to build a record type that cannot tell a partner it holds a reference only', () => {
    expect(() => schemaWith({ Other: () => 'O1' })).toThrow('record type Other must declare releasedInFull: Boolean!');
  });
});
