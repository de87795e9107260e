import type { Caller } from './principal.ts';

/** Decides one `@policy` name for a caller, before any data is read. */
export type Policy = (caller: Caller) => boolean;

/** Policy names used in SDL `@policy(policies: [[...]])`, mapped to their decisions. */
export type PolicyRegistry = Readonly<Record<string, Policy>>;

/**
 * Liaison's own policies. A subgraph owner adds more in `subgraphs/<name>/policies.ts`
 * (exporting `policies: PolicyRegistry`); names are global, so prefix them with the subgraph.
 */
export const basePolicies: PolicyRegistry = {
  /** The request declared an investigative or judicial purpose. */
  investigative_purpose: (caller) => caller.purpose?.code === 'INVESTIGATION' || caller.purpose?.code === 'COURT_PROCEEDINGS',
  /** The request declared any purpose at all. */
  declared_purpose: (caller) => caller.purpose !== null,
};
