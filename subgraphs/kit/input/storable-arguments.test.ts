import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { refuseUnstorableArguments } from './storable-arguments.ts';

const schema = buildSchema(`
  input Filter { name: String, tags: [String!] }
  type Item { id: ID!, children(after: String): [Item!]! }
  type Query { item(id: ID!): Item, items(filter: Filter): [Item!]!, any(value: [String]): Int }
`);
const item = { id: 'X1', children: () => [] };
const rootValue = { item: () => item, items: () => [item], any: () => 1 };
refuseUnstorableArguments(schema);
const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, rootValue, variableValues });

describe('arguments no database can store', () => {
  it.each([
    ['NUL in a root argument', 'query($v: ID!) { item(id: $v) { id } }', { v: 'X\u0000' }, 'id'],
    [
      'an unpaired surrogate in an input field',
      'query($v: String) { items(filter: { name: $v }) { id } }',
      { v: 'a\ud800' },
      'filter.name',
    ],
    [
      'a C1 control in a list item of an input',
      'query($v: String!) { items(filter: { tags: ["ok", $v] }) { id } }',
      { v: 'b\u0090' },
      'filter.tags.1',
    ],
    [
      'a control character in a nested field argument',
      'query($v: String) { item(id: "X1") { children(after: $v) { id } } }',
      { v: '\u001b[31m' },
      'after',
    ],
  ])('%s is BAD_USER_INPUT naming where it is, and the resolver never runs', async (_name, query, variables, field) => {
    const result = await run(query, variables);
    expect(result.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field }]);
    expect(result.errors?.[0]?.message).toBe(`${field} must not contain NUL, control characters or unpaired surrogates`);
  });

  it('lets through text with tabs, line breaks, accents, emoji and every script', async () => {
    const result = await run('query($v: [String]) { any(value: $v) }', {
      v: ['Łukasz Müller-Øster', 'line one\nline two\r\n\tindented', '東京 🚓', null],
    });
    expect(result).toEqual({ data: { any: 1 } });
  });
});
