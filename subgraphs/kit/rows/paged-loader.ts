import DataLoader from 'dataloader';
import type { Counted } from './counted.ts';
import { type Connection, type Page, type PageArgs, readPage, toConnection } from './pagination.ts';

/** One nested connection to load: a parent and the page of its children the client asked for. */
export interface PagedKey {
  parent: string;
  page: Page;
}

/** A DataLoader answering each {@link PagedKey} with up to `page.limit + 1` children of its parent. */
export type PagedLoader<R> = DataLoader<PagedKey, R[], string>;

const shapeOf = (page: Page): string => `${page.limit}\u0000${page.after ?? ''}`;
const cacheKeyOf = (key: PagedKey): string => `${key.parent}\u0000${shapeOf(key.page)}`;

/**
 * A per-request DataLoader for nested connections (a case's subjects, a person's cases). Parents that
 * ask for the same `first`/`after` share one query fetching up to `limit + 1` children per parent, so a
 * list of 50 parents costs one query, not 50; a different page shape costs one more query.
 */
export function pagedLoader<R>(
  fetch: (parents: readonly string[], page: Page) => Promise<R[]>,
  parentOf: (row: R) => string,
): PagedLoader<R> {
  return new DataLoader(
    async (keys) => {
      const shapes = new Map<string, { page: Page; parents: string[] }>();
      for (const key of keys) {
        const shape = shapes.get(shapeOf(key.page)) ?? { page: key.page, parents: [] };
        shape.parents.push(key.parent);
        shapes.set(shapeOf(key.page), shape);
      }
      const children = new Map<string, R[]>(keys.map((key) => [cacheKeyOf(key), []]));
      await Promise.all(
        [...shapes.values()].map(async ({ page, parents }) => {
          for (const row of await fetch(parents, page)) children.get(cacheKeyOf({ parent: parentOf(row), page }))?.push(row);
        }),
      );
      return keys.map((key) => children.get(cacheKeyOf(key)) ?? []);
    },
    { maxBatchSize: 1_000, cacheKeyFn: cacheKeyOf },
  );
}

/**
 * Resolves a nested connection field: validates `first`/`after`, loads the parent's page through the
 * batched loader and counts only if `totalCount` is selected (through `count`, itself batched).
 */
export async function loadConnection<R>(
  loader: PagedLoader<R>,
  parent: string,
  args: PageArgs,
  keyOf: (row: R) => string,
  count: (parent: string) => Promise<Counted>,
): Promise<Connection<R>> {
  const page = readPage(args);
  return toConnection(await loader.load({ parent, page }), page, keyOf, () => count(parent));
}
