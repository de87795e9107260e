import { loadPolicies } from '../../../lib/authz/load-policies.ts';
import type { KitContext, SubgraphFeatureFactory } from '../server/contract.ts';
import { enforceFieldRules } from './enforce-field-rules.ts';

/** The SDL's field rules, enforced again here: the gateway's filter is a convenience, this is the guarantee. */
export const fieldRuleEnforcement: SubgraphFeatureFactory = {
  name: 'field-rules',
  async build({ name, sdl }) {
    const policies = await loadPolicies([{ name }]);
    return { transformSchema: (schema) => enforceFieldRules(schema, sdl, policies, (context) => (context as KitContext).caller) };
  },
};
