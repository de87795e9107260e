import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerOptions, ApolloServerPlugin, HTTPGraphQLRequest } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { openRedis, type RedisClient } from '../../lib/redis/index.ts';
import type { GatewayConfig } from '../config.ts';
import type { GatewayContext } from '../context.ts';
import type { OperationCheck } from '../feature.ts';
import { CostModel } from './cost-model.ts';
import { formatHardeningErrors } from './format-hardening-errors.ts';
import { costLimit, costLimitPlugin } from './cost-limit-plugin.ts';
import { queryLimitRules } from './query-limits.ts';
import { rateLimit } from './rate-limit.ts';
import { memoryTokenBuckets, redisTokenBuckets } from './token-bucket.ts';
import { trustedDocumentGate } from './trusted-document-gate.ts';
import { trustedDocumentsEndpoint } from './trusted-documents-endpoint.ts';
import { TrustedDocuments } from './trusted-documents.ts';

type ApolloOptions = ApolloServerOptions<GatewayContext>;

/** A gateway's schema source, told of every supergraph (re)load. */
interface SchemaSource {
  onSchemaLoadOrUpdate(callback: (update: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void): unknown;
}

/** The gateway's protections against abusive queries and overload, ready to plug in. */
export interface Protections {
  /** Spread into the ApolloServer options: validation rules and the token limit. */
  apollo: Pick<ApolloOptions, 'validationRules' | 'parseOptions'>;
  /** The Apollo plugin for the cost limit. */
  plugin: ApolloServerPlugin<GatewayContext>;
  /** The cost limit on its own, for subscriptions when they are opened. */
  checkCost: OperationCheck;
  /** Wraps the gateway's formatError (coded limit errors, suggestions off). */
  formatError(inner: NonNullable<ApolloOptions['formatError']>): NonNullable<ApolloOptions['formatError']>;
  /**
   * Admits an authenticated request before Apollo reads it: rate limit (429 `RATE_LIMITED`), then
   * trusted documents and the safelist (403 `PERSISTED_QUERY_NOT_IN_LIST`).
   */
  admit(caller: Caller, req: IncomingMessage, request: HTTPGraphQLRequest): Promise<void>;
  /** `/trusted-documents`: register and list operations. */
  trustedDocuments(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the protections from configuration: graphql-armor's depth, alias and directive limits,
 * graphql-js's token limit, the estimated-cost budget per partner tier, trusted documents and the
 * safelist, per-partner rate limits, field suggestions off. With REDIS_URL the rate-limit buckets and
 * registered operations live in Redis, shared by every replica; a Redis outage lets requests through.
 */
export async function buildProtections(
  config: GatewayConfig,
  log: Logger,
  schemaSource: SchemaSource,
  callerOf: (req: IncomingMessage) => Promise<Caller>,
): Promise<Protections> {
  const { hardening } = config;
  // Commands never queue and time out quickly: a request waits at most RATE_LIMIT_REDIS_TIMEOUT_MS for Redis.
  const redis = config.redis
    ? openRedis(config.redis.target, {
        connectTimeout: 2_000,
        commandTimeout: hardening.redisTimeoutMs,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
      })
    : undefined;
  redis?.on('error', () => undefined);
  if (redis && !(await connected(redis, STARTUP_WAIT_MS)))
    log.warn({ waitedMs: STARTUP_WAIT_MS }, 'protections: Redis not reachable at start-up; rate limits let requests through until it is');
  const prefix = config.redis?.prefix ?? 'liaison';
  const trusted = new TrustedDocuments(redis, prefix, log);
  if (hardening.trustedDocumentsFile) trusted.loadManifest(hardening.trustedDocumentsFile);
  let apiSchema: GraphQLSchema | undefined;
  let costModel: CostModel | undefined;
  schemaSource.onSchemaLoadOrUpdate((update) => {
    apiSchema = update.apiSchema;
    costModel = CostModel.fromSupergraph(update.coreSupergraphSdl);
  });
  const rules = queryLimitRules(hardening.limits);
  const checkCost = costLimit({ config: hardening, costModel: () => costModel });
  const gate = trustedDocumentGate(hardening, trusted);
  const limiter =
    hardening.rateLimit && rateLimit(redis ? redisTokenBuckets(redis, log) : memoryTokenBuckets(), hardening.rateLimit, prefix);
  log.info(
    {
      rateLimit: hardening.rateLimit ? (redis ? 'redis' : 'in-process') : 'off',
      safelist: hardening.safelist,
      limits: hardening.limits,
      costLimits: hardening.costLimits,
    },
    'protections',
  );
  return {
    apollo: { validationRules: rules, parseOptions: { maxTokens: hardening.limits.maxTokens } },
    plugin: costLimitPlugin(checkCost),
    checkCost,
    formatError: (inner) => formatHardeningErrors(inner, hardening.fieldSuggestions),
    async admit(caller, req, request) {
      await limiter?.(caller, req.socket.remoteAddress);
      await gate(caller, request);
    },
    trustedDocuments: trustedDocumentsEndpoint({
      store: trusted,
      callerOf,
      schema: () => apiSchema,
      rules,
      maxTokens: hardening.limits.maxTokens,
      maxBodyBytes: config.maxBodyBytes,
      fieldSuggestions: hardening.fieldSuggestions,
      log,
    }),
    close: async () => void (await redis?.quit().catch(() => redis.disconnect())),
  };
}

/** How long start-up waits for Redis before serving without it. */
const STARTUP_WAIT_MS = 2_000;

function connected(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
