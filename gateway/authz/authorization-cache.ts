import { createHash } from 'node:crypto';
import { type DocumentNode, print } from 'graphql';
import type { PolicyRegistry } from '../../lib/authz/policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import type { AuthorizedOperation } from './authorize-operation.ts';
import { rightsOf } from './caller-rights.ts';
import { directiveVariables } from './directive-variables.ts';

/** The operation a decision is about. */
export interface OperationRequest {
  /** Hash of the query text, which decides the document. */
  queryHash: string;
  operationName: string | null;
  document: DocumentNode;
}

/** A filtered operation ready for the planner: its printed source and hash are computed once. */
export interface CachedAuthorization {
  authorized: AuthorizedOperation;
  source: string;
  queryHash: string;
}

/**
 * Remembers the filtered operation per (query, operation, caller's rights, directive conditions), so
 * repeated operations from callers with the same rights (every user of a partner, typically) skip
 * the walk, the print and the hash, and the planner's own cache sees the same hash again. Bounded,
 * least recently used first out.
 */
export class AuthorizationCache {
  private readonly entries = new Map<string, CachedAuthorization>();

  constructor(
    private readonly policies: PolicyRegistry,
    private readonly maxEntries = 2_000,
  ) {}

  /**
   * Every input of the filter's decision, JSON-encoded so no two differ only in where a separator
   * falls (a scope may contain a space): the query, the operation, the caller's rights (see rightsOf)
   * and the coerced values `@skip`/`@include` read, which are booleans or null however deep the
   * request's other variables are.
   */
  key(request: OperationRequest, caller: Caller, variables: Readonly<Record<string, unknown>>): string {
    const conditions = directiveVariables(request.document).map((name) => variables[name] ?? null);
    return JSON.stringify([request.queryHash, request.operationName, rightsOf(caller, this.policies), conditions]);
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
