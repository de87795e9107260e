import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import type { Dispatcher } from 'undici';
import { loadPolicies } from '../../lib/authz/load-policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import { readSupergraphConfig } from '../../lib/config/supergraph-config.ts';
import type { IdentitySigner } from '../../lib/identity/internal-identity.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import type { GatewayConfig } from '../config.ts';
import type { GatewayContext } from '../context.ts';
import type { GatewayMetrics } from '../observability/index.ts';
import type { SubgraphIdentities } from '../upstream/index.ts';
import { executeThrough } from './execute-as.ts';
import type { Authorization } from './prepare-subscription.ts';
import { SubscriptionEngine } from './subscription-engine.ts';

/** What the gateway builder hands the engine. */
export interface EngineHost {
  config: GatewayConfig;
  log: Logger;
  /** The undecorated gateway, before Apollo starts it: the engine must see the first schema load. */
  gateway: ApolloGateway;
  /** Apollo Server, once built: each event's lookup runs through it. */
  apollo: () => ApolloServer<GatewayContext>;
  signer: IdentitySigner;
  identitiesOf: (caller: Caller, gatewayRequestId: string) => SubgraphIdentities;
  /** The subgraph pool the feeds are read over. */
  pool: Dispatcher;
  metrics: GatewayMetrics;
  /** The features' query limits, applied to a subscription when it is opened. */
  limits: Authorization['limits'];
}

/** The engine as the gateway builds it: the same policies and AUTHZ_REJECT_UNAUTHORIZED as queries. */
export async function createSubscriptionEngine(host: EngineHost): Promise<SubscriptionEngine> {
  const { config } = host;
  return new SubscriptionEngine({
    gateway: host.gateway,
    authorization: {
      policies: await loadPolicies(readSupergraphConfig()),
      rejectUnauthorized: config.auth.rejectUnauthorized,
      limits: host.limits,
    },
    config: config.subscriptionEngine,
    subgraphUrls: config.subgraphUrls,
    signer: host.signer,
    dispatcher: host.pool,
    execute: executeThrough(host.apollo, host.identitiesOf),
    onResolved: (outcome, at) => host.metrics.subscriptionEvent(outcome, at),
    log: host.log,
  });
}
