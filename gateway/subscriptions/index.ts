/**
 * The gateway's subscription engine: a subscription decided on like a query, then each record event
 * from the subgraphs' feeds resolved through the federation as its subscriber. The transports
 * (./transports/) authenticate, frame and limit; they call {@link SubscriptionEngine.subscribe}.
 */
export { type EngineConfig, engineConfigOf, engineEnv } from './engine-config.ts';
export type { ExecuteAs, LookupMeta } from './resolve-event.ts';
export type { Subscribe, SubscribeRequest } from './subscribe-request.ts';
export { SubscriptionEngine, type SubscriptionEngineOptions } from './subscription-engine.ts';
export { createSubscriptionEngine, type EngineHost } from './create-engine.ts';
