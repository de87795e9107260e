import { redisEnv, type RedisTarget, redisTargetOf } from '../lib/redis/index.ts';
import { type TracingConfig, tracingConfigOf, tracingEnv } from '../lib/observability/tracing-config.ts';
import { z } from 'zod';
import { ConfigError, parseEnv, portSchema } from '../lib/config/env.ts';
import { allowHttpSchema, isPlainRemoteUrl, PLAIN_LINK_REFUSED } from '../lib/config/subgraph-link.ts';
import { DEFAULT_AUDIENCE, DEV_ISSUER } from '../lib/identity/dev-token.ts';
import { readSupergraphConfig, SUPERGRAPH_GRAPHQL, type SubgraphEntry } from '../lib/config/supergraph-config.ts';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './auth/partner-verifier.ts';
import { type ResilienceConfig, resilienceConfigOf, resilienceEnv } from './upstream/resilience-config.ts';
import { type HardeningConfig, hardeningConfig, hardeningEnv } from './hardening/hardening-config.ts';
import { type TransportConfig, transportConfigOf, transportEnv } from './subscriptions/transports/index.ts';
import { type EngineConfig, engineConfigOf, engineEnv } from './subscriptions/index.ts';

const urlSchema = z.url({ protocol: /^https?$/ });
/** `true`/`false`, or unset to take the default for NODE_ENV. */
const switchSchema = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true'));

function gatewayEnvSchema(subgraphs: readonly SubgraphEntry[]) {
  const routingOverrides = Object.fromEntries(subgraphs.map((subgraph) => [`${subgraph.envPrefix}_URL`, urlSchema.optional()]));
  return z.object({
    /** Port the gateway listens on; 0 picks a free one. */
    PORT: portSchema.default(4000),
    /** Interface to bind. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** Port of the operational listener (`/metrics`, `/ready`, `/health`), kept off the partners' port; 0 picks a free one. */
    OPS_PORT: portSchema.default(9464),
    /** Interface the operational listener binds; HOST when unset. */
    OPS_HOST: z.string().min(1).optional(),
    /** development or production; production refuses development conveniences. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Composed supergraph the gateway serves. */
    SUPERGRAPH_PATH: z.string().min(1).default(SUPERGRAPH_GRAPHQL),
    /** Largest accepted request body in bytes. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1_000).max(50_000_000).default(1_000_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** JWKS URL of the partner token issuer; an unknown `kid` triggers a refetch. */
    AUTH_JWKS_URL: urlSchema.optional(),
    /** File with the partner token issuer's public keys as a JWKS (`{"keys": [...]}`). */
    AUTH_JWKS_FILE: z.string().min(1).optional(),
    /** Required `iss` of partner tokens. */
    AUTH_ISSUER: z.string().min(1).default(DEV_ISSUER),
    /** Required `aud` of partner tokens. */
    AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
    /** Accepted signature algorithms, comma-separated; asymmetric only. */
    AUTH_ALGORITHMS: z
      .string()
      .default('ES256,ES384,RS256,PS256,EdDSA')
      .transform((value) =>
        value
          .split(',')
          .map((alg) => alg.trim())
          .filter(Boolean),
      )
      .refine(
        (algs) => algs.length > 0 && algs.every((alg) => /^(RS|PS|ES)(256|384|512)$|^EdDSA$/.test(alg)),
        'must list asymmetric algorithms only (RS*, PS*, ES*, EdDSA); none and HS* are refused',
      ),
    /** Allowed clock skew when checking exp/nbf/iat. */
    AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    /** Longest lifetime (`exp` - `iat`) a partner token may have; at most 30 days. */
    AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
    /** `true` refuses a whole operation that asks for any unauthorized field, instead of nulling those fields. */
    AUTHZ_REJECT_UNAUTHORIZED: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** The gateway's private JWK (JSON file) for signing identities forwarded to subgraphs. */
    IDENTITY_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    /** PEM CA bundle the certificates of https:// subgraphs must chain to, instead of Node's CAs. */
    SUBGRAPH_CA_FILE: z.string().min(1).optional(),
    /** `true` accepts http:// subgraph URLs off this machine in production (something else encrypts the link). */
    SUBGRAPH_ALLOW_HTTP: allowHttpSchema,
    /** Serve the GraphQL explorer at `/`; defaults to on outside production, off in production. */
    EXPLORER_ENABLED: switchSchema,
    /** Answer introspection queries; defaults to on outside production, off in production. */
    INTROSPECTION_ENABLED: switchSchema,
    /**
     * Redis (one server or a cluster) for what replicas share: persisted queries, trusted documents,
     * rate limits; without it each gateway keeps its own in memory.
     */
    ...redisEnv,
    ...tracingEnv,
    /** First segment of the gateway's Redis keys. */
    CACHE_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('liaison'),
    ...resilienceEnv(subgraphs),
    ...hardeningEnv,
    ...transportEnv,
    ...engineEnv,
    ...routingOverrides,
  });
}

/** The gateway's typed configuration. */
export interface GatewayConfig {
  port: number;
  host: string;
  /** The operational listener: OPS_PORT and OPS_HOST (HOST when unset). */
  operations: { port: number; host: string };
  production: boolean;
  supergraphPath: string;
  maxBodyBytes: number;
  logLevel: string;
  /** Serve the explorer at `/` (EXPLORER_ENABLED). */
  explorerEnabled: boolean;
  /** Answer introspection queries (INTROSPECTION_ENABLED). */
  introspectionEnabled: boolean;
  auth: {
    jwksUrl: string | undefined;
    jwksFile: string | undefined;
    issuer: string;
    audience: string;
    algorithms: string[];
    clockToleranceSeconds: number;
    /** AUTH_MAX_TOKEN_LIFETIME_SECONDS. */
    maxTokenLifetimeSeconds: number;
    rejectUnauthorized: boolean;
    identityPrivateKeyFile: string | undefined;
  };
  /** The Redis replicas share (REDIS_URL or REDIS_CLUSTER_NODES) and the first segment of their keys. */
  redis: { target: RedisTarget; prefix: string } | undefined;
  /** OTLP export of this process's spans (OTEL_*); undefined: traces are propagated, not recorded. */
  tracing: TracingConfig | undefined;
  /** Routing URL per subgraph name: `<NAME>_URL` when set, else the URL in schema/supergraph.yaml. */
  subgraphUrls: Record<string, string>;
  /** PEM CA bundle verifying https:// subgraphs (SUBGRAPH_CA_FILE), instead of Node's CAs; unset, Node's CAs. */
  subgraphCaFile: string | undefined;
  /** Subgraph timeouts, retries and circuit breakers. */
  resilience: ResilienceConfig;
  /** Query limits, cost budgets per tier, rate limits, safelist (see gateway/hardening/). */
  hardening: HardeningConfig;
  /** Subscriptions over WebSocket and SSE: limits, heartbeats, the slow-consumer bound (see gateway/subscriptions/transports/). */
  subscriptionTransports: TransportConfig;
  /** The subscription engine: queue bound per subscriber, feed reconnection (see gateway/subscriptions/). */
  subscriptionEngine: EngineConfig;
  /** How long a stopping gateway lets in-flight requests finish (SHUTDOWN_TIMEOUT_MS). */
  shutdownTimeoutMs: number;
}

/** Parses the gateway's environment once, at start-up. */
export function loadGatewayConfig(source?: NodeJS.ProcessEnv): GatewayConfig {
  const subgraphs = readSupergraphConfig();
  const env = parseEnv(gatewayEnvSchema(subgraphs), source) as Record<string, unknown> & z.infer<ReturnType<typeof gatewayEnvSchema>>;
  if (env.NODE_ENV === 'production' && env.AUTH_ISSUER === DEV_ISSUER) {
    throw new ConfigError(
      `Invalid configuration:\n  AUTH_ISSUER: set the partner token issuer; production refuses the development issuer "${DEV_ISSUER}"`,
    );
  }
  if (env.OPS_PORT !== 0 && env.OPS_PORT === env.PORT) {
    throw new ConfigError(`Invalid configuration:\n  OPS_PORT: must differ from PORT (${env.PORT}); /metrics stays off the partners' port`);
  }
  const subgraphUrls = Object.fromEntries(
    subgraphs.map((subgraph) => [subgraph.name, (env[`${subgraph.envPrefix}_URL`] as string | undefined) ?? subgraph.url]),
  );
  // The link carries gateway-signed identities and every record disclosed: in clear, only on this machine.
  const plain = subgraphs.filter((subgraph) => isPlainRemoteUrl(subgraphUrls[subgraph.name]!));
  if (env.NODE_ENV === 'production' && !env.SUBGRAPH_ALLOW_HTTP && plain.length > 0) {
    const lines = plain.map(
      (subgraph) => `  ${subgraph.envPrefix}_URL: must be https:// (got ${subgraphUrls[subgraph.name]}); ${PLAIN_LINK_REFUSED}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    port: env.PORT,
    host: env.HOST,
    operations: { port: env.OPS_PORT, host: env.OPS_HOST ?? env.HOST },
    production: env.NODE_ENV === 'production',
    supergraphPath: env.SUPERGRAPH_PATH,
    maxBodyBytes: env.MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    explorerEnabled: env.EXPLORER_ENABLED ?? env.NODE_ENV !== 'production',
    introspectionEnabled: env.INTROSPECTION_ENABLED ?? env.NODE_ENV !== 'production',
    auth: {
      jwksUrl: env.AUTH_JWKS_URL,
      jwksFile: env.AUTH_JWKS_FILE,
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      algorithms: env.AUTH_ALGORITHMS,
      clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
      maxTokenLifetimeSeconds: env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      rejectUnauthorized: env.AUTHZ_REJECT_UNAUTHORIZED,
      identityPrivateKeyFile: env.IDENTITY_PRIVATE_KEY_FILE,
    },
    redis: redisOf(redisTargetOf(env), env.CACHE_KEY_PREFIX),
    tracing: tracingConfigOf(env, 'gateway'),
    subgraphUrls,
    subgraphCaFile: env.SUBGRAPH_CA_FILE,
    resilience: resilienceConfigOf(env, subgraphs),
    hardening: hardeningConfig(env, env.NODE_ENV === 'production'),
    subscriptionTransports: transportConfigOf(env),
    subscriptionEngine: engineConfigOf(env),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

const redisOf = (target: RedisTarget | undefined, prefix: string) => (target ? { target, prefix } : undefined);
