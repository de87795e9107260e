import type { GraphQLError } from 'graphql';
import { badUserInput } from '../../../lib/errors/index.ts';
import { isStorableText } from '../../../lib/domain/text.ts';
import type { Counted } from './counted.ts';

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

/**
 * A page's PageInfo. `hasNextPage: true` tells that one more record exists: `next` names it (its owner,
 * id, release mode and notifyOwnerOnHit flag) for the disclosure audit, when the rows are agencies' records.
 */
export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
  next: { owner: string; id: string; mode: string | undefined; notify: boolean } | undefined;
}

/** A page of results in the shape of the SDL's *Connection types. */
export interface Connection<T> {
  nodes: T[];
  pageInfo: PageInfo;
  /** Resolved only when the client selects it, so unrequested counts cost nothing. */
  totalCount: () => Promise<number>;
  /** The same count with whose records it counted, for the disclosure audit. */
  counted: () => Promise<Counted>;
}

/** Validates `first`/`after`, decoding the plain cursor (the opaque-cursors feature has opened the partner's). */
export function readPage(args: PageArgs): Page {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}, got ${limit}`, 'first');
  }
  return { limit, after: args.after == null ? null : decodeCursor(args.after) };
}

/** A cursor refused: altered, made up, or another subgraph's. One message for all, so none says why. */
export function notACursor(): GraphQLError {
  return badUserInput('after is not a cursor returned by this API', 'after');
}

/**
 * The plain cursor: base64url of the last row's sort key. Partners never see it: the opaque-cursors
 * feature (opaque-cursors.ts) seals every `PageInfo.endCursor` and opens every `after` into this form.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(`k:${key}`, 'utf8').toString('base64url');
}

/** The sort key a plain cursor carries, checked though only cursors this subgraph sealed reach it: a key no row can have is refused. */
function decodeCursor(cursor: string): string {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!decoded.startsWith('k:') || decoded.length < 3 || !isStorableText(decoded)) throw notACursor();
  return decoded.slice(2);
}

/**
 * Turns `limit + 1` fetched rows into a connection: the extra row only says whether another page exists.
 */
export function toConnection<T>(rows: T[], page: Page, keyOf: (row: T) => string, count: () => Promise<Counted>): Connection<T> {
  const nodes = rows.slice(0, page.limit);
  const last = nodes.at(-1);
  let counting: Promise<Counted> | undefined;
  const counted = () => (counting ??= count());
  return {
    nodes,
    pageInfo: {
      endCursor: last ? encodeCursor(keyOf(last)) : null,
      hasNextPage: rows.length > page.limit,
      next: recordOf(rows[page.limit], keyOf),
    },
    totalCount: async () => (await counted()).total,
    counted,
  };
}

/** The owner, id, release mode and notify flag of a row that is an agency's record (it has an owning agency); undefined otherwise. */
function recordOf<T>(row: T | undefined, keyOf: (row: T) => string): PageInfo['next'] {
  const {
    owning_agency: owner,
    release_mode: mode,
    notify_owner_on_hit: notify,
  } = (row ?? {}) as { owning_agency?: unknown; release_mode?: unknown; notify_owner_on_hit?: unknown };
  return typeof owner === 'string'
    ? { owner, id: keyOf(row!), mode: typeof mode === 'string' ? mode : undefined, notify: notify === true }
    : undefined;
}
