import { buildSchema, getOperationAST, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coerceVariables } from './coerce-variables.ts';
import { MAX_VARIABLE_DEPTH } from './variable-depth.ts';

const schema = buildSchema(/* GraphQL */ `
  scalar JSON
  input Filter {
    id: ID
    and: [Filter!]
  }
  input Flat {
    id: ID
    tags: [String!]
  }
  type Query {
    search(filter: Filter, flat: Flat, ids: [[ID!]], raw: JSON, first: Int = 20): [ID]
  }
`);

const operation = (query: string) => getOperationAST(parse(query))!;

/** `levels` of `{ and: [ ... ] }` around `{ id }`: two JSON levels per step. */
function recursiveFilter(levels: number): unknown {
  let filter: unknown = { id: 'x' };
  for (let level = 0; level < levels; level += 1) filter = { and: [filter] };
  return filter;
}

describe('coerceVariables', () => {
  it('applies declared defaults and coerces to the declared types', () => {
    const result = coerceVariables({}, schema, operation('query($first: Int = 5, $ids: [[ID!]]) { search(first: $first, ids: $ids) }'), {
      ids: 7,
    });
    expect(result).toEqual({ coerced: { first: 5, ids: [['7']] } });
  });

  it('coerces once per request: the same context, operation and inputs give the same result', () => {
    const context = {};
    const query = operation('query($first: Int = 5) { search(first: $first) }');
    const inputs = { first: 3 };
    expect(coerceVariables(context, schema, query, inputs)).toBe(coerceVariables(context, schema, query, inputs));
    expect(coerceVariables({}, schema, query, inputs)).not.toBe(coerceVariables(context, schema, query, inputs));
  });

  it("reports graphql-js's own errors for invalid values", () => {
    const query = operation('query($first: Int!) { search(first: $first) }');
    const result = coerceVariables({}, schema, query, { first: 'ten' });
    expect(result.errors?.map((error) => error.message)).toEqual([
      'Variable "$first" got invalid value "ten"; Int cannot represent non-integer value: "ten"',
    ]);
  });

  it('refuses a recursive input nested thousands of levels deep as BAD_USER_INPUT, where graphql-js overflows the stack', () => {
    const query = operation('query($filter: Filter) { search(filter: $filter) }');
    const deep = { filter: recursiveFilter(20_000) };
    expect(getVariableValues(schema, query.variableDefinitions!, deep).errors?.[0]).toBeInstanceOf(RangeError);
    const result = coerceVariables({}, schema, query, deep);
    expect(result.errors?.map((error) => [error.message, error.extensions.code])).toEqual([
      [`Variable "$filter" is nested more than ${MAX_VARIABLE_DEPTH} levels deep.`, 'BAD_USER_INPUT'],
    ]);
  });

  it('refuses a custom scalar nested too deep, and accepts reasonable depths of either', () => {
    const query = operation('query($raw: JSON, $filter: Filter) { search(raw: $raw, filter: $filter) }');
    let raw: unknown = 1;
    for (let level = 0; level < 10_000; level += 1) raw = [raw];
    expect(coerceVariables({}, schema, query, { raw }).errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(coerceVariables({}, schema, query, { raw: [[[1]]], filter: recursiveFilter(10) }).errors).toBeUndefined();
  });

  it('leaves types that bound the depth themselves to graphql-js, whatever the value', () => {
    const query = operation('query($flat: Flat) { search(flat: $flat) }');
    let flat: unknown = 'x';
    for (let level = 0; level < 20_000; level += 1) flat = { id: flat };
    const result = coerceVariables({}, schema, query, { flat });
    expect(result.errors?.map((error) => error.message)).toEqual([
      'Variable "$flat" got invalid value { id: { id: [Object] } } at "flat.id"; ID cannot represent value: { id: { id: [Object] } }',
    ]);
  });
});
