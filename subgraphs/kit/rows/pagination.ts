import { badUserInput } from '../../../lib/errors/index.ts';
import { isStorableText } from '../../../lib/domain/text.ts';

/** Largest page any list returns; larger `first` values are refused, not truncated. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Page arguments as they arrive from GraphQL. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** A validated page request: fetch `limit` rows whose sort key is greater than `after`. */
export interface Page {
  limit: number;
  after: string | null;
}

/** A page of results in the shape of the SDL's *Connection types. */
export interface Connection<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  /** Resolved only when the client selects it, so unrequested counts cost nothing. */
  totalCount: () => Promise<number>;
}

/** Validates `first`/`after`, decoding the opaque cursor. */
export function readPage(args: PageArgs): Page {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${limit}`, 'first');
  }
  return { limit, after: args.after == null ? null : decodeCursor(args.after) };
}

/** Cursors are opaque to clients: base64url of the last row's sort key. */
export function encodeCursor(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

/** The sort key a cursor carries. Its text is the client's too: a key no row can have is refused like any bad input. */
function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!decoded.startsWith('k:') || decoded.length < 3 || !isStorableText(decoded))
    throw badUserInput('after is not a cursor returned by this API', 'after');
  return decoded.slice(2);
}

/**
 * Turns `limit + 1` fetched rows into a connection: the extra row only says whether another page exists.
 */
export function toConnection<T>(rows: T[], page: Page, keyOf: (row: T) => string, count: () => Promise<number>): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const last = nodes.at(-1);
  let counted: Promise<number> | undefined;
  return {
    nodes,
    pageInfo: { endCursor: last ? encodeCursor(keyOf(last)) : null, hasNextPage: rows.length > page.limit },
    totalCount: () => (counted ??= count()),
  };
}
