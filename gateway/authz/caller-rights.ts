import type { PolicyRegistry } from '../../lib/authz/policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';

/**
 * All that field rules can tell apart between two callers (see satisfies): anonymous or not, the
 * scopes, and which registered policies pass. Policies may read anything of the caller (subject,
 * agency, jurisdictions, purpose and its reference), so they are asked here rather than guessed at:
 * callers with equal rights get the same decision from every rule, and only they may share one.
 * Scopes sorted, so the token's order does not matter; `null` for an anonymous caller.
 */
export function rightsOf(caller: Caller, policies: PolicyRegistry): { scopes: string[]; policies: string[] } | null {
  if (!caller.principal) return null;
  return {
    scopes: [...caller.principal.scopes].sort(),
    policies: Object.keys(policies)
      .filter((name) => passes(policies, name, caller))
      .sort(),
  };
}

/**
 * A policy that throws counts as not passed here: it then fails, as before, only the operations that
 * read a field it guards, when the filter asks it again, instead of every request.
 */
function passes(policies: PolicyRegistry, name: string, caller: Caller): boolean {
  try {
    return policies[name]!(caller) === true;
  } catch {
    return false;
  }
}
