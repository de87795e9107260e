import { randomBytes } from 'node:crypto';
import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { CursorSealer } from './cursor-sealer.ts';
import { sealCursors } from './opaque-cursors.ts';
import { encodeCursor, type PageArgs, readPage } from './pagination.ts';

const IDS = Array.from({ length: 5 }, (_, i) => `W00000000${i + 1}`);
const sealer = new CursorSealer(randomBytes(32), 'unit');

/** A schema shaped like a subgraph's: a connection with `after`, and an `after` that is no cursor. */
function subgraph() {
  const schema = buildSchema(`
    type PageInfo { endCursor: String hasNextPage: Boolean! }
    type Thing { id: ID! }
    type ThingConnection { nodes: [Thing!]! pageInfo: PageInfo! }
    type Query {
      things(first: Int, after: String): ThingConnection
      since(after: String): [String!]!
    }
  `);
  const seen: (string | null)[] = [];
  const fields = schema.getQueryType()!.getFields();
  fields.things!.resolve = (_source, args: PageArgs) => {
    const page = readPage(args);
    seen.push(page.after);
    const nodes = IDS.filter((id) => page.after === null || id > page.after).slice(0, page.limit);
    return {
      nodes: nodes.map((id) => ({ id })),
      pageInfo: { endCursor: nodes.length ? encodeCursor(nodes.at(-1)!) : null, hasNextPage: true },
    };
  };
  fields.since!.resolve = (_source, args: { after?: string }) => [args.after ?? 'none'];
  sealCursors(schema, sealer);
  const ask = (source: string, variables: Record<string, unknown> = {}) => graphql({ schema, source, variableValues: variables });
  return { ask, seen };
}

const PAGE = 'query($a: String) { things(first: 2, after: $a) { nodes { id } pageInfo { endCursor } } }';

describe('the opaque-cursors transform', () => {
  it('seals endCursor, and opens it as after into the plain cursor readPage decodes', async () => {
    const { ask, seen } = subgraph();
    const first = await ask(PAGE);
    const cursor = (first.data as any).things.pageInfo.endCursor as string;
    expect(cursor).not.toBe(encodeCursor('W000000002'));
    expect(sealer.open(cursor)).toBe(encodeCursor('W000000002'));
    const second = await ask(PAGE, { a: cursor });
    expect(second.errors).toBeUndefined();
    expect((second.data as any).things.nodes).toEqual([{ id: 'W000000003' }, { id: 'W000000004' }]);
    expect(seen).toEqual([null, 'W000000002']);
  });

  it('leaves a missing endCursor null and a missing after absent', async () => {
    const { ask } = subgraph();
    const last = await ask(PAGE, { a: sealer.seal(encodeCursor('W000000005')) });
    expect((last.data as any).things).toEqual({ nodes: [], pageInfo: { endCursor: null } });
    expect((await ask(PAGE, { a: null })).errors).toBeUndefined();
  });

  it('refuses a plain, altered or foreign cursor as BAD_USER_INPUT on after, before the resolver runs', async () => {
    const { ask, seen } = subgraph();
    const sealed = sealer.seal(encodeCursor('W000000002'));
    const flipped = `${sealed.slice(0, 5)}${sealed[5] === 'A' ? 'B' : 'A'}${sealed.slice(6)}`;
    const foreign = new CursorSealer(randomBytes(32), 'unit').seal(encodeCursor('W000000002'));
    for (const cursor of [encodeCursor('W000000002'), flipped, sealed.slice(0, -1), foreign]) {
      const response = await ask(PAGE, { a: cursor });
      expect(response.errors?.map((error) => [error.message, error.extensions])).toEqual([
        ['after is not a cursor returned by this API', { code: 'BAD_USER_INPUT', field: 'after' }],
      ]);
    }
    expect(seen).toEqual([]);
  });

  it('leaves an after that is not on a connection as the client sent it', async () => {
    const { ask } = subgraph();
    expect((await ask('{ since(after: "2026-01-01") }')).data).toEqual({ since: ['2026-01-01'] });
  });
});
