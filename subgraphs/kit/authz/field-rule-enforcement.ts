import { loadPolicies } from '../../../lib/authz/load-policies.ts';
import type { KitContext, SubgraphFeatureFactory } from '../server/contract.ts';
import { enforceFieldRules } from './enforce-field-rules.ts';
import { enforceReleaseDecisions } from './release-decisions.ts';

/**
 * The SDL's field rules, enforced again here: the gateway's filter is a convenience, this is the guarantee.
 * The owners' reference-only releases are enforced here alone (the gateway cannot see a row's release),
 * inside the field rules: a field the caller may not read at all is refused as such.
 */
export const fieldRuleEnforcement: SubgraphFeatureFactory = {
  name: 'field-rules',
  async build({ name, sdl, auditedTypes }) {
    const policies = await loadPolicies([{ name }]);
    const callerOf = (context: unknown) => (context as KitContext).caller;
    return {
      transformSchema: (schema) => {
        enforceReleaseDecisions(schema, sdl, auditedTypes, callerOf);
        enforceFieldRules(schema, sdl, policies, callerOf);
      },
    };
  },
};
