import type { Rule } from './field-rules.ts';
import type { PolicyRegistry } from './policies.ts';
import type { Caller } from './principal.ts';

/**
 * Whether a caller meets a rule. Scopes and policies need an authenticated caller; an unknown policy
 * name denies (fail closed).
 */
export function satisfies(rule: Rule, caller: Caller, policies: PolicyRegistry): boolean {
  const principal = caller.principal;
  if ((rule.authenticated || rule.scopes.length > 0 || rule.policies.length > 0) && !principal) return false;
  if (rule.scopes.length > 0 && !rule.scopes.some((all) => all.every((scope) => principal!.scopes.has(scope)))) return false;
  if (rule.policies.length > 0 && !rule.policies.some((all) => all.every((name) => policies[name]?.(caller) === true))) return false;
  return true;
}
