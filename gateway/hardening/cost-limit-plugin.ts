import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import { operationResolutionFailure, queryTooComplex } from '../../lib/errors/index.ts';
import { coerceVariables } from '../authz/coerce-variables.ts';
import type { GatewayContext } from '../context.ts';
import type { OperationCheck } from '../feature.ts';
import type { CostModel } from './cost-model.ts';
import { operationCosts } from './operation-costs.ts';
import type { HardeningConfig, Tier } from './hardening-config.ts';

/** What the cost limit checks each operation against. */
export interface CostLimitOptions {
  config: HardeningConfig;
  /** The cost model of the supergraph now served. */
  costModel: () => CostModel | undefined;
}

/** A partner's tier: configured per agency (PARTNER_TIERS), else the default; anonymous callers are basic. */
export function tierOf(config: HardeningConfig, caller: Caller): Tier {
  return caller.principal ? (config.tiers[caller.principal.agency] ?? config.defaultTier) : 'basic';
}

/**
 * The cost limit itself: the operation's estimated cost against the caller's tier budget, refused
 * with QUERY_TOO_COMPLEX. Queries meet it in Apollo's pipeline, subscriptions when they are opened.
 */
export function costLimit(options: CostLimitOptions): OperationCheck {
  const { config } = options;
  const estimateCost = operationCosts();
  return ({ caller, schema, document, operation, variables }) => {
    const model = options.costModel();
    if (!model) return undefined;
    const tier = tierOf(config, caller);
    const max = config.costLimits[tier];
    const cost = estimateCost(schema, model, document, operation, variables);
    if (cost <= max) return undefined;
    return queryTooComplex(
      `Estimated cost ${cost} exceeds the ${tier} tier's limit of ${max}; ask for smaller pages (first) or fewer nested lists`,
      'cost',
      max,
      { cost, tier },
    );
  };
}

/**
 * The cost limit inside Apollo's request pipeline: once the operation is parsed, validated and
 * resolved, before planning. A document without the requested operation is refused here too.
 */
export function costLimitPlugin(check: OperationCheck): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request: resolved, contextValue: context }) {
          // graphql-js reports this at execution, but the gateway's executor does not: Apollo would answer 500.
          if (!operation) throw unresolvedOperation(resolved.operationName);
          const variables = coerceVariables(context, schema, operation, resolved.variables);
          // Execution refuses them before planning, with graphql-js's errors: those are the answer, not a cost.
          if (variables.errors) return;
          const refusal = check({ caller: context.caller, schema, document, operation, variables: variables.coerced });
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** 400 `OPERATION_RESOLUTION_FAILURE`: no operation of that name, or several and no name. */
function unresolvedOperation(name: string | null | undefined): GraphQLError {
  const message = name ? `Unknown operation named "${name}".` : 'Must provide operation name if query contains multiple operations.';
  return operationResolutionFailure(message);
}
