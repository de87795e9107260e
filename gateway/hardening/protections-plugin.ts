import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import type { Caller } from '../../lib/authz/principal.ts';
import type { GatewayContext } from '../gateway-context.ts';
import type { CostModel } from './cost-model.ts';
import { estimateCost } from './estimate-cost.ts';
import type { HardeningConfig, Tier } from './hardening-config.ts';
import { notInList, QueryLimitError } from './hardening-errors.ts';
import { sha256Hex, type TrustedDocuments } from './trusted-documents.ts';

/** What the plugin checks each operation against. */
export interface ProtectionsPluginOptions {
  config: HardeningConfig;
  trusted: TrustedDocuments;
  /** The cost model of the supergraph now served. */
  costModel: () => CostModel | undefined;
}

/** A partner's tier: configured per agency (PARTNER_TIERS), else the default; anonymous callers are basic. */
export function tierOf(config: HardeningConfig, caller: Caller): Tier {
  return caller.principal ? (config.tiers[caller.principal.agency] ?? config.defaultTier) : 'basic';
}

/** Whether the caller may run registered operations only (SAFELIST_AGENCIES, SAFELIST_SUBJECTS). */
export function isSafelisted(config: HardeningConfig, caller: Caller): boolean {
  const { agencies, subjects } = config.safelist;
  if (agencies.includes('*')) return true;
  return !!caller.principal && (agencies.includes(caller.principal.agency) || subjects.includes(caller.principal.subject));
}

/**
 * Trusted documents and the cost limit, inside Apollo's request pipeline. A request naming a
 * registered operation by hash alone gets its body filled in (so registered operations run by hash on
 * every replica); a safelisted partner's operation must be registered for its agency, by hash or by
 * exact body, or it is refused 403 `PERSISTED_QUERY_NOT_IN_LIST` before parsing. Once the operation is
 * known, its estimated cost is checked against the partner tier's budget.
 */
export function protectionsPlugin(options: ProtectionsPluginOptions): ApolloServerPlugin<GatewayContext> {
  const { config, trusted } = options;
  return {
    async requestDidStart({ request, contextValue }) {
      await resolveTrusted(request, contextValue.caller);
      return {
        async didResolveOperation({ document, operation, schema, request: resolved, contextValue: context }) {
          const model = options.costModel();
          if (!operation || !model) return;
          const tier = tierOf(config, context.caller);
          const max = config.costLimits[tier];
          const cost = estimateCost(schema, model, document, operation, resolved.variables ?? {});
          if (cost > max) throw new QueryLimitError(`Estimated cost ${cost} exceeds the ${tier} tier's limit of ${max}; ask for smaller pages (first) or fewer nested lists`, 'cost', max, { cost, tier });
        },
      };
    },
  };

  async function resolveTrusted(request: GraphQLRequest, caller: Caller): Promise<void> {
    const persisted = request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
    const sentHash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
    if (!isSafelisted(config, caller)) {
      // Others may run registered operations by hash; full queries skip the lookup.
      if (sentHash && request.query === undefined) request.query = await trusted.find(caller.principal?.agency, sentHash);
      return;
    }
    const hash = sentHash ?? (typeof request.query === 'string' ? sha256Hex(request.query) : undefined);
    const body = hash === undefined ? undefined : await trusted.find(caller.principal?.agency, hash);
    if (body === undefined) throw notInList();
    // Apollo checks that a body sent with a hash matches it, so a safelisted caller cannot swap bodies.
    if (request.query === undefined) request.query = body;
  }
}
