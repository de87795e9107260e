import { createHash } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import { buildSchema, type DocumentNode, getOperationAST, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PolicyRegistry } from '../../lib/authz/policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import { AuthorizingGateway } from './authorizing-gateway.ts';

const SDL = /* GraphQL */ `
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    record: Record
  }
  type Record {
    id: ID
    spaced: String @requiresScopes(scopes: [["case read"]])
    agency: String @policy(policies: [["french_agency"]])
    officer: String @policy(policies: [["named_officer"]])
    german: String @policy(policies: [["german_jurisdiction"]])
    reference: String @policy(policies: [["case_reference"]])
  }
`;
const schema = buildSchema(SDL);

/** Policies as an agency might add them, each reading one input of the decision. */
const policies: PolicyRegistry = {
  french_agency: (caller) => caller.principal?.agency === 'FRPN00001',
  named_officer: (caller) => caller.principal?.subject === 'officer-1',
  german_jurisdiction: (caller) => caller.principal?.jurisdictions.includes('DE') === true,
  case_reference: (caller) => caller.purpose?.reference === 'CASE-1',
};

const caller = (
  change: { subject?: string; agency?: string; scopes?: string[]; jurisdictions?: string[]; reference?: string } = {},
): Caller => ({
  principal: {
    subject: change.subject ?? 'officer-1',
    agency: change.agency ?? 'FRPN00001',
    scopes: new Set(change.scopes ?? ['case read']),
    jurisdictions: change.jurisdictions ?? ['DE'],
  },
  purpose: { code: 'INVESTIGATION', reference: change.reference ?? 'CASE-1' },
});

/** The gateway over a stand-in for @apollo/gateway that records what it is asked to execute. */
async function gateway(answer: Record<string, unknown> = { record: { id: '1' } }) {
  const executed: DocumentNode[] = [];
  const inner = {
    onSchemaLoadOrUpdate: (callback: (update: { apiSchema: typeof schema; coreSupergraphSdl: string }) => void) =>
      callback({ apiSchema: schema, coreSupergraphSdl: SDL }),
    load: async () => ({
      schema,
      executor: async (request: { document: DocumentNode }) => (executed.push(request.document), { data: answer }),
    }),
  };
  const authorizing = new AuthorizingGateway(inner as unknown as ApolloGateway, {
    policies,
    rejectUnauthorized: false,
    callerOf: (context) => context.caller as Caller,
  });
  const { executor } = await authorizing.load();
  const run = async (query: string, who: Caller, variables?: Record<string, unknown>) => {
    const document = parse(query);
    const request = {
      request: { query, variables },
      document,
      source: query,
      queryHash: createHash('sha256').update(query).digest('hex'),
      operationName: null,
      operation: getOperationAST(document)!,
      schema,
      context: { caller: who },
    };
    const result = await executor(request as unknown as Parameters<typeof executor>[0]);
    return { result, executed: executed.at(-1) };
  };
  return { run, executed };
}

describe('the authorization cache key holds every input of the decision', () => {
  const pairs: [string, string, Caller][] = [
    ['agency', 'agency', caller({ agency: 'DEBKA0001' })],
    ['subject', 'officer', caller({ subject: 'officer-2' })],
    ['jurisdictions', 'german', caller({ jurisdictions: ['FR'] })],
    ['purpose reference', 'reference', caller({ reference: 'CASE-2' })],
    ['a scope containing a space', 'spaced', caller({ scopes: ['case', 'read'] })],
  ];
  it.each(pairs)('callers differing only in %s do not share a decision', async (_input, field, refused) => {
    const { run } = await gateway();
    const query = `{ record { id ${field} } }`;
    const allowed = await run(query, caller());
    expect(print(allowed.executed!)).toContain(field);
    const denied = await run(query, refused);
    expect(print(denied.executed!)).not.toContain(field);
    expect(denied.result.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('callers with equal rights share one: two officers of a partner, neither the named one', async () => {
    const { run } = await gateway();
    const query = '{ record { id officer } }';
    const first = await run(query, caller({ subject: 'officer-2' }));
    const second = await run(query, caller({ subject: 'officer-3' }));
    expect(second.executed).toBe(first.executed);
  });
});

describe('variables as graphql-js coerces them', () => {
  it('an omitted variable takes its declared default in @skip and @include', async () => {
    const { run } = await gateway();
    const query = 'query($v: Boolean = false, $w: Boolean = true) { record { id agency @include(if: $v) german @skip(if: $w) } }';
    const { result, executed } = await run(query, caller({ agency: 'DEBKA0001', jurisdictions: ['FR'] }));
    expect(result.errors).toBeUndefined();
    expect(print(executed!)).toContain('agency @include(if: $v)');
  });

  it("invalid variables get graphql-js's errors and nothing is executed", async () => {
    const { run, executed } = await gateway();
    const { result } = await run('query($v: Boolean!) { record { id agency @include(if: $v) } }', caller(), { v: 'yes' });
    expect(result.errors?.map((error) => error.message)).toEqual([
      'Variable "$v" got invalid value "yes"; Boolean cannot represent a non boolean value: "yes"',
    ]);
    expect(executed).toEqual([]);
  });
});

describe('a filtered operation whose withheld fields were never reached', () => {
  it('answers without an errors key, never an empty list', async () => {
    const { run } = await gateway({ record: null });
    const { result } = await run('{ record { id agency } }', caller({ agency: 'DEBKA0001' }));
    expect(result).toEqual({ data: { record: null } });
  });
});
