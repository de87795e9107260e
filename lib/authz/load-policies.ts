import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CODE_EXTENSION, ROOT, type SubgraphEntry } from '../config/supergraph-config.ts';
import { basePolicies, type PolicyRegistry } from './policies.ts';

/**
 * Liaison's policies plus those each listed subgraph adds in `subgraphs/<name>/policies.ts`
 * (`export const policies: PolicyRegistry`). A name defined twice is a deployment error.
 */
export async function loadPolicies(subgraphs: readonly Pick<SubgraphEntry, 'name'>[]): Promise<PolicyRegistry> {
  const merged: Record<string, PolicyRegistry[string]> = { ...basePolicies };
  for (const { name } of subgraphs) {
    const path = resolve(ROOT, 'subgraphs', name, `policies${CODE_EXTENSION}`);
    if (!existsSync(path)) continue;
    const { policies } = (await import(path)) as { policies: PolicyRegistry };
    for (const [policy, decide] of Object.entries(policies)) {
      if (policy in merged) throw new Error(`policy ${policy} from ${name} is already defined`);
      merged[policy] = decide;
    }
  }
  return merged;
}
