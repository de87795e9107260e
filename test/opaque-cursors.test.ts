import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CursorSealer } from '../subgraphs/kit/rows/cursor-sealer.ts';
import { encodeCursor } from '../subgraphs/kit/rows/pagination.ts';
import { type GraphqlResponse, graphql } from './support/graphql-client.ts';
import { askSubgraph, FULL_ACCESS } from './support/identity.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const ask = async (query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse> =>
  graphql(stack.gatewayUrl, query, variables, await bearer());

interface Page {
  ids: string[];
  endCursor: string;
  hasNextPage: boolean;
}

/** A list as partners page it, by the gateway: the field, its arguments, and how a node names its record. */
const LISTS = [
  { subgraph: 'wanted-persons', field: 'searchWantedPersons', args: 'name: "Smith"', id: 'id' },
  { subgraph: 'stolen-property', field: 'searchProperty', args: 'kind: VEHICLE', id: 'id' },
  { subgraph: 'case-status', field: 'cases', args: '', id: 'caseNumber' },
] as const;
type List = (typeof LISTS)[number];

async function page(list: List, first: number, after?: string): Promise<Page> {
  const response = await ask(
    `query($first: Int, $after: String) { ${list.field}(${list.args} first: $first, after: $after) { nodes { ${list.id} } pageInfo { endCursor hasNextPage } } }`,
    { first, after },
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  const connection = response.data![list.field];
  return { ids: connection.nodes.map((node: Record<string, string>) => node[list.id]), ...connection.pageInfo };
}

/** The cursor as text, and as whatever base64url or base64 decoding makes of it. */
const readings = (cursor: string) =>
  [Buffer.from(cursor, 'base64url'), Buffer.from(cursor, 'base64')]
    .flatMap((bytes) => [bytes.toString('utf8'), bytes.toString('latin1')])
    .concat(cursor);

describe('pagination cursors are opaque to partners', () => {
  it.each(LISTS)('$field: endCursor names no record in any decoding, and page 2 follows page 1 by it', async (list) => {
    const first = await page(list, 2);
    expect(first.ids).toHaveLength(2);
    expect(first.hasNextPage).toBe(true);
    const last = first.ids.at(-1)!;
    for (const reading of readings(first.endCursor)) {
      expect(reading).not.toContain(last);
      expect(reading).not.toContain(last.slice(1));
      expect(reading).not.toContain('k:');
    }
    expect(first.endCursor).toMatch(/^[A-Za-z0-9_-]{1,304}$/);

    const second = await page(list, 2, first.endCursor);
    expect(second.ids).toHaveLength(2);
    expect(second.ids.filter((id) => first.ids.includes(id))).toEqual([]);
    expect([...first.ids, ...second.ids]).toEqual((await page(list, 4)).ids);
  });

  it('refuses a cursor changed, cut short, in the old plain form, or sealed elsewhere: BAD_USER_INPUT on after, before any SQL', async () => {
    const [persons, property, cases] = [LISTS[0], LISTS[1], LISTS[2]];
    const genuine = (await page(persons, 2)).endCursor;
    const flip = (at: number) => `${genuine.slice(0, at)}${genuine[at] === 'A' ? 'B' : 'A'}${genuine.slice(at + 1)}`;
    const refused: [string, List, string][] = [
      ['one character changed, first', persons, flip(0)],
      ['one character changed, middle', persons, flip(genuine.length >> 1)],
      ['one character changed, last', persons, flip(genuine.length - 1)],
      ['cut short', persons, genuine.slice(0, -4)],
      ['the old plain form', persons, Buffer.from('k:W000000001', 'utf8').toString('base64url')],
      ["another subgraph's", persons, (await page(cases, 2)).endCursor],
      ["another subgraph's, the other way", property, genuine],
      ['the right subgraph on another key', persons, new CursorSealer(randomBytes(32), 'wanted-persons').seal(encodeCursor('W000000001'))],
    ];
    stack.resetQueryCounts();
    for (const [name, list, cursor] of refused) {
      const response = await ask(`query($after: String) { ${list.field}(${list.args} first: 2, after: $after) { nodes { id } } }`, {
        after: cursor,
      });
      expect(response.data, name).toEqual({ [list.field]: null });
      expect(response.errors, name).toHaveLength(1);
      expect(response.errors![0], name).toMatchObject({
        message: 'after is not a cursor returned by this API',
        path: [list.field],
        extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      });
    }
    expect(Object.values(stack.queryCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("seals nested connections' cursors too: a case's subjects page by them", async () => {
    const query =
      'query($a: String) { cases(first: 100) { nodes { caseNumber subjects(first: 1, after: $a) { nodes { id } pageInfo { endCursor hasNextPage } } } } }';
    const first = (await ask(query)).data!.cases.nodes.find((node: any) => node.subjects?.pageInfo.hasNextPage);
    expect(first).toBeDefined();
    const [subject] = first.subjects.nodes.map((node: { id: string }) => node.id);
    for (const reading of readings(first.subjects.pageInfo.endCursor)) expect(reading).not.toContain(subject.slice(1));
    const next = await ask('query($n: ID!, $a: String) { case(caseNumber: $n) { subjects(first: 1, after: $a) { nodes { id } } } }', {
      n: first.caseNumber,
      a: first.subjects.pageInfo.endCursor,
    });
    expect(next.errors).toBeUndefined();
    expect(next.data!.case.subjects.nodes).toHaveLength(1);
    expect(next.data!.case.subjects.nodes[0].id).not.toBe(subject);
  });

  // Guards of the feature order in subgraph-features.ts (both held before cursors were sealed, too).
  it('checks the text rules and the field rules before it opens a cursor', async () => {
    const url = stack.subgraphUrls['wanted-persons']!;
    const unstorable = await askSubgraph(url, 'query($a: String) { searchWantedPersons(name: "Smith", after: $a) { totalCount } }', {
      a: 'W\u0000',
    });
    expect(unstorable.errors?.[0]).toMatchObject({
      message: 'after must not contain NUL, control characters or unpaired surrogates',
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    const withoutPii = { ...FULL_ACCESS, principal: { ...FULL_ACCESS.principal!, scopes: new Set(['wanted:read']) } };
    const refusedField = await askSubgraph(
      url,
      'query($a: String) { searchWantedPersons(name: "Smith", after: $a) { totalCount } }',
      { a: 'not-a-cursor' },
      withoutPii,
    );
    expect(refusedField.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHORIZED_FIELD_OR_TYPE' });
  });
});
