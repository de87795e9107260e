import type { ApolloGateway } from '@apollo/gateway';
import { loadPolicies } from '../../lib/authz/load-policies.ts';
import { readSupergraphConfig } from '../../lib/config/supergraph-config.ts';
import type { GatewayContext } from '../context.ts';
import type { FeatureFactory } from '../feature.ts';
import { AuthorizingGateway } from './authorizing-gateway.ts';

export { declareEnforcedSecurityFeatures } from './declare-enforced-features.ts';
/** The field-rule filter itself, for operations that do not reach Apollo whole (subscriptions). */
export { type AuthorizedOperation, authorizeOperation } from './authorize-operation.ts';
export { purposeRequired } from './authorizing-gateway.ts';

/**
 * Field rules before planning: operations reach the planner without the fields the caller may not
 * read. Left out (benchmarks price it), subgraphs still enforce the same rules.
 */
export const fieldRules: FeatureFactory = {
  name: 'field-rules',
  async build({ config }) {
    const policies = await loadPolicies(readSupergraphConfig());
    return {
      wrapGateway: (gateway) =>
        new AuthorizingGateway(gateway as ApolloGateway, {
          policies,
          rejectUnauthorized: config.auth.rejectUnauthorized,
          callerOf: (context) => (context as unknown as GatewayContext).caller,
        }),
    };
  },
};
