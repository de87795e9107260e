import { buildSchema, parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FieldRules } from '../../lib/authz/field-rules.ts';
import { basePolicies } from '../../lib/authz/policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import { applyDenials } from './apply-denials.ts';
import { authorizeOperation } from './authorize-operation.ts';

const SDL = /* GraphQL */ `
  directive @authenticated on FIELD_DEFINITION | OBJECT
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT
  type Query {
    person(id: ID!): Person @authenticated
    people: [Person!]
    item: Item
    strict: Secret!
  }
  type Person @requiresScopes(scopes: [["p:read"]]) {
    id: ID!
    name: String @requiresScopes(scopes: [["p:pii"]])
    secretNonNull: String! @requiresScopes(scopes: [["p:pii"]])
    reason: String @policy(policies: [["investigative_purpose"]])
  }
  interface Item {
    id: ID!
  }
  type Car implements Item {
    id: ID!
    vin: String @requiresScopes(scopes: [["car:vin"]])
  }
  type Boat implements Item {
    id: ID!
    hull: String
  }
  type Secret @requiresScopes(scopes: [["top"]]) {
    x: Int
  }
`;
const schema = buildSchema(SDL);
const rules = new FieldRules(parse(SDL));

const caller = (scopes: string[], purpose: Caller['purpose'] = null): Caller => ({
  principal: { subject: 's', agency: 'FRPN00001', scopes: new Set(scopes), jurisdictions: ['FR'] },
  purpose,
});
const anonymous: Caller = { principal: null, purpose: null };

function run(query: string, who: Caller, variables: Record<string, unknown> = {}, data?: Record<string, any>) {
  const authorized = authorizeOperation(parse(query), undefined, { schema, rules, policies: basePolicies, caller: who, variables });
  const errors = data
    ? applyDenials(data, authorized, schema).map((e) => ({ path: e.path, code: e.extensions.code, message: e.message }))
    : [];
  return { authorized, printed: print(authorized.document).replace(/\s+/g, ' '), errors, data };
}

describe('authorizeOperation', () => {
  it('leaves an operation the caller may fully read untouched', () => {
    const { authorized } = run('{ person(id: 1) { id name } }', caller(['p:read', 'p:pii']));
    expect(authorized.denials).toEqual([]);
  });

  it('removes an unauthorized field under its alias, and nulls it with a coded error at that path', () => {
    const { printed, errors, data } = run('{ person(id: 1) { id n: name } }', caller(['p:read']), {}, { person: { id: '1' } });
    expect(printed).toBe('{ person(id: 1) { id } }');
    expect(data).toEqual({ person: { id: '1', n: null } });
    expect(errors).toEqual([
      { path: ['person', 'n'], code: 'UNAUTHORIZED_FIELD_OR_TYPE', message: 'Unauthorized field or type: Person.name' },
    ]);
  });

  it('holds through named fragments and reports every list element', () => {
    const query = 'query { people { ...P } } fragment P on Person { id name }';
    const { printed, errors } = run(query, caller(['p:read']), {}, { people: [{ id: '1' }, { id: '2' }] });
    expect(printed).toBe('{ people { ... on Person { id } } }');
    expect(errors.map((e) => e.path)).toEqual([
      ['people', 0, 'name'],
      ['people', 1, 'name'],
    ]);
  });

  it('reports a field asked twice once per path, and both aliases when aliased differently', () => {
    const { errors } = run('{ person(id: 1) { id name ... on Person { name } a: name } }', caller(['p:read']), {}, { person: { id: '1' } });
    expect(errors.map((e) => e.path)).toEqual([
      ['person', 'name'],
      ['person', 'a'],
    ]);
  });

  it('nulls an interface fragment field only on objects of that type', () => {
    const query = '{ item { id ... on Car { vin } ... on Boat { hull } } }';
    const { printed, authorized } = run(query, caller([]));
    expect(printed).toContain('__liaisonTypename: __typename');
    const car = run(query, caller([]), {}, { item: { id: 'c', __liaisonTypename: 'Car' } });
    expect(car.data).toEqual({ item: { id: 'c', vin: null } });
    expect(car.errors.map((e) => e.path)).toEqual([['item', 'vin']]);
    const boat = run(query, caller([]), {}, { item: { id: 'b', hull: 'h', __liaisonTypename: 'Boat' } });
    expect(boat.data).toEqual({ item: { id: 'b', hull: 'h' } });
    expect(boat.errors).toEqual([]);
    expect(authorized.injectedTypename).toBe(true);
  });

  it('evaluates @skip and @include with variables: a skipped field is neither fetched nor reported', () => {
    const query = 'query($s: Boolean!) { person(id: 1) { id name @skip(if: $s) } }';
    expect(run(query, caller(['p:read']), { s: true }, { person: { id: '1' } }).errors).toEqual([]);
    expect(run(query, caller(['p:read']), { s: false }, { person: { id: '1' } }).errors).toHaveLength(1);
  });

  it('moves the null of a refused non-null field to its nearest nullable ancestor', () => {
    const { printed, errors, data } = run(
      '{ person(id: 1) { id secretNonNull } people { id } }',
      caller(['p:read']),
      {},
      { people: [{ id: '1' }] },
    );
    expect(printed).toBe('{ people { id } }');
    expect(data).toEqual({ people: [{ id: '1' }], person: null });
    expect(errors).toEqual([
      { path: ['person'], code: 'UNAUTHORIZED_FIELD_OR_TYPE', message: 'Unauthorized field or type: Person.secretNonNull' },
    ]);
  });

  it('nulls the whole data when a non-null root field is refused', () => {
    expect(run('{ strict { x } people { id } }', caller(['p:read'])).authorized.nullData).toBe('Query.strict');
  });

  it('sends nothing when nothing authorized is left, and refuses type-level rules to anonymous callers', () => {
    const { authorized, errors } = run('{ person(id: 1) { id } people { id } }', anonymous, {}, {});
    expect(authorized.empty).toBe(true);
    expect(errors.map((e) => e.path)).toEqual([['person'], ['people']]);
  });

  it('resolves @policy names through the policy registry, failing closed on unknown names', () => {
    const query = '{ person(id: 1) { reason } }';
    expect(run(query, caller(['p:read'], { code: 'INVESTIGATION', reference: 'x' })).authorized.denials).toEqual([]);
    expect(run(query, caller(['p:read'], { code: 'BORDER_CHECK', reference: null })).authorized.denials).toHaveLength(1);
    const unknown = buildSchema(SDL.replace('investigative_purpose', 'nobody_defined_this'));
    const denied = authorizeOperation(parse(query), undefined, {
      schema: unknown,
      rules: new FieldRules(parse(SDL.replace('investigative_purpose', 'nobody_defined_this'))),
      policies: basePolicies,
      caller: caller(['p:read'], { code: 'INVESTIGATION', reference: null }),
      variables: {},
    });
    expect(denied.denials).toHaveLength(1);
  });
});
