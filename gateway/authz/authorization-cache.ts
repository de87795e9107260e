import { createHash } from 'node:crypto';
import { print } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import type { AuthorizedOperation } from './authorize-operation.ts';

/** A filtered operation ready for the planner: its printed source and hash are computed once. */
export interface CachedAuthorization {
  authorized: AuthorizedOperation;
  source: string;
  queryHash: string;
}

/**
 * Remembers the filtered operation per (query, caller's rights, directive variables), so repeated
 * operations from partners with the same scopes skip the walk, the print and the hash, and the
 * planner's own cache sees the same hash again. Bounded, least recently used first out.
 */
export class AuthorizationCache {
  private readonly entries = new Map<string, CachedAuthorization>();

  constructor(private readonly maxEntries = 2_000) {}

  /** The cache key: only what the filter's result depends on. */
  key(queryHash: string, operationName: string | null, source: string, caller: Caller, variables: Record<string, unknown>): string {
    const principal = caller.principal;
    const rights = principal ? [...principal.scopes].sort().join(' ') : '-';
    // @skip/@include are evaluated by the filter, so their variables change its result.
    const directiveVariables = /@(skip|include)\b/.test(source) ? JSON.stringify(variables) : '';
    return `${queryHash}\u0000${operationName ?? ''}\u0000${rights}\u0000${caller.purpose?.code ?? '-'}\u0000${directiveVariables}`;
  }

  get(key: string): CachedAuthorization | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Stores a fresh result, printing and hashing the filtered document once. */
  remember(key: string, authorized: AuthorizedOperation): CachedAuthorization {
    const source = print(authorized.document);
    const entry = { authorized, source, queryHash: createHash('sha256').update(source).digest('hex') };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** A new supergraph changes what may be read: forget everything. */
  clear(): void {
    this.entries.clear();
  }
}
