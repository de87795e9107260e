import { z } from 'zod';
import { parseEnv, portSchema, postgresUrlSchema } from '../../../lib/config/env.ts';
import { allowHttpSchema, isLoopbackHost, isPlainRemoteUrl, PLAIN_LINK_REFUSED } from '../../../lib/config/subgraph-link.ts';
import { readCaFile, readServerCertificate, type ServerCertificate } from '../../../lib/config/tls-files.ts';
import { resolve } from 'node:path';
import { ROOT, type SubgraphEntry } from '../../../lib/config/supergraph-config.ts';
import type { AuditCheckpointOptions } from '../audit/checkpoint-writer.ts';
import type { CacheOptions } from '../cache/open-cache.ts';
import { redisEnv } from '../../../lib/redis/index.ts';
import { tracingEnv } from '../../../lib/observability/tracing-config.ts';
import { seedSizeSchema } from '../seed/seed-plan.ts';

const ttlMapSchema = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"WantedPerson":600}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().regex(/^[A-Za-z]+$/), z.number().int().min(1).max(86_400)));

/** Environment of one subgraph process. `npm start` and docker-compose set these per subgraph. */
export function subgraphConfigSchema(defaultPort: number) {
  const env = z.object({
    /** Port to listen on; 0 picks a free one. */
    PORT: portSchema.default(defaultPort),
    /** Interface to bind; 127.0.0.1 keeps a development subgraph off the network. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** PostgreSQL URL; without it the subgraph runs on embedded PGlite. */
    DATABASE_URL: postgresUrlSchema.optional(),
    /** Folder that keeps PGlite's data across restarts; without it PGlite runs in memory. */
    PGLITE_DATA_DIR: z.string().min(1).optional(),
    /** Demo data seeded into an empty database. */
    SEED: seedSizeSchema.default('demo'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** development or production; production refuses development keys. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** The gateway's public keys as a JWKS file; without it (development only) the local development key. */
    IDENTITY_JWKS_FILE: z.string().min(1).optional(),
    /** Redis for the lookup cache, shared by replicas (one server or a cluster); without it an in-process cache serves. */
    ...redisEnv,
    /** OTLP export of this subgraph's spans (see docs/operations.md, Traces). */
    ...tracingEnv,
    /** First segment of every cache key, so deployments sharing a Redis never collide. */
    CACHE_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('liaison'),
    /**
     * The AES-256 key (a JWK, `"kty":"oct"`) the lookup cache seals values and hashes key names with;
     * without it (development only) a generated key in .keys/. Required in production.
     */
    CACHE_KEY_FILE: z.string().min(1).optional(),
    /**
     * How long a lookup stays cached, found or "not found" alike (a hidden record is a cached row, so
     * a shorter "not found" would tell the two apart by their answer time).
     */
    CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** Per-entity TTL overrides as JSON, e.g. `{"WantedPerson":600}`. */
    CACHE_TTLS: ttlMapSchema.optional(),
    /** How long a request waits for a PostgreSQL connection before it fails with DATABASE_UNAVAILABLE. */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    /** How long a stopping subgraph lets in-flight requests finish before it closes their connections. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
    /**
     * PostgreSQL URL as the role that owns the schema, for migrations and the seed; DATABASE_URL's role
     * then only serves, and may only append to the audit trail. Without it DATABASE_URL migrates.
     */
    MIGRATION_DATABASE_URL: postgresUrlSchema.optional(),
    /** The subgraph's audit key (32+ random bytes, hex or base64); without it (development only) a generated one in .keys/. */
    AUDIT_KEY_FILE: z.string().min(1).optional(),
    /** Where audit checkpoints are appended, outside the database; default .data/audit/<subgraph>.checkpoints.jsonl. */
    AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    /** How often chain heads that moved are checkpointed. */
    AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
    /** PEM certificate (and chain) to serve HTTPS with, and only HTTPS; with TLS_KEY_FILE, or neither. */
    TLS_CERT_FILE: z.string().min(1).optional(),
    /** PEM private key of TLS_CERT_FILE (unencrypted); with TLS_CERT_FILE, or neither. */
    TLS_KEY_FILE: z.string().min(1).optional(),
    /**
     * PEM CA bundle that the certificates of the subgraphs this one calls must chain to, instead of the
     * system CAs; without it https:// peers are verified against Node's bundled CAs.
     */
    SUBGRAPH_CA_FILE: z.string().min(1).optional(),
    /** `true` lets a production subgraph serve plain HTTP off loopback (something else encrypts the link). */
    SUBGRAPH_ALLOW_HTTP: allowHttpSchema,
    /**
     * How long record events stay in the outbox (GET /events): the window in which the gateway, and so a
     * subscriber, can resume from a last event id. Older ones are deleted; a reader behind them is told it missed events.
     */
    RECORD_EVENT_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
    /**
     * A private JWK the ownership-notification relay signs its retries' identities with; keepers and this
     * subgraph accept them where its public half is in NOTIFICATION_JWKS_FILE, for the notification alone.
     * Without it, outside production the development relay key; in production only a write's first delivery
     * is attempted.
     */
    NOTIFICATION_IDENTITY_KEY_FILE: z.string().min(1).optional(),
    /**
     * Public keys (a JWKS) of the relays whose identities this subgraph accepts: as a keeper, to be told to
     * re-read records; as an owner, for the keeper's read-back of their ownership; for nothing else. Without
     * it, outside production the development relay key; in production none.
     */
    NOTIFICATION_JWKS_FILE: z.string().min(1).optional(),
    /** How often the ownership-notification outbox is read when no write woke the relay. */
    OWNERSHIP_NOTIFICATION_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    /** The longest wait between attempts of a notification its keeper did not take (they double up to it). */
    OWNERSHIP_NOTIFICATION_RETRY_MAX_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  });
  return env.superRefine((config, ctx) => {
    const issue = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
    if (config.TLS_CERT_FILE && !config.TLS_KEY_FILE) issue('TLS_KEY_FILE', 'required with TLS_CERT_FILE (both or neither)');
    if (config.TLS_KEY_FILE && !config.TLS_CERT_FILE) issue('TLS_CERT_FILE', 'required with TLS_KEY_FILE (both or neither)');
    if (
      config.NODE_ENV === 'production' &&
      !config.SUBGRAPH_ALLOW_HTTP &&
      !config.TLS_CERT_FILE &&
      !config.TLS_KEY_FILE &&
      !isLoopbackHost(config.HOST)
    ) {
      issue('TLS_CERT_FILE', `required with a HOST other than loopback: ${PLAIN_LINK_REFUSED}`);
    }
  });
}

export type SubgraphConfig = z.infer<ReturnType<typeof subgraphConfigSchema>>;

/** Reads the subgraph process's configuration from its environment. */
export const loadSubgraphConfig = (defaultPort: number): SubgraphConfig => parseEnv(subgraphConfigSchema(defaultPort));

/** The lookup cache a configured subgraph process uses: Redis when set, else in-process; run-subgraph adds the key. */
export function cacheOptionsOf(config: SubgraphConfig): CacheOptions {
  return {
    redisUrl: config.REDIS_URL,
    clusterNodes: config.REDIS_CLUSTER_NODES,
    username: config.REDIS_USERNAME,
    password: config.REDIS_PASSWORD,
    caFile: config.REDIS_CA_FILE,
    prefix: config.CACHE_KEY_PREFIX,
    ttlSeconds: config.CACHE_TTL_SECONDS,
    ttls: config.CACHE_TTLS,
  };
}

/** The certificate a configured subgraph serves HTTPS with (TLS_CERT_FILE, TLS_KEY_FILE); none, it serves plain HTTP. */
export const serverCertificateOf = (config: SubgraphConfig): ServerCertificate | undefined =>
  config.TLS_CERT_FILE && config.TLS_KEY_FILE ? readServerCertificate(config.TLS_CERT_FILE, config.TLS_KEY_FILE) : undefined;

/** The CA a configured subgraph verifies the subgraphs it calls with (SUBGRAPH_CA_FILE); none, the system CAs. */
export const peerCaOf = (config: SubgraphConfig): Buffer | undefined =>
  config.SUBGRAPH_CA_FILE ? readCaFile(config.SUBGRAPH_CA_FILE, 'SUBGRAPH_CA_FILE') : undefined;

/**
 * Where a configured subgraph anchors its audit chains: AUDIT_CHECKPOINT_FILE, by default under .data/.
 * A database in memory leaves nothing to verify later, so its chains are not anchored.
 */
export function auditCheckpointsOf(config: SubgraphConfig, subgraph: string): AuditCheckpointOptions | undefined {
  if (!config.DATABASE_URL && !config.PGLITE_DATA_DIR) return undefined;
  return {
    file: config.AUDIT_CHECKPOINT_FILE ?? resolve(ROOT, '.data/audit', `${subgraph}.checkpoints.jsonl`),
    intervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
  };
}

/**
 * Where every subgraph of the supergraph answers, by name: `<NAME>_URL` when set, else its URL in
 * schema/supergraph.yaml. A subgraph calls others directly on its caller's behalf (case-status reading
 * a linked record's ownership; an owner telling case-status that ownership changed). In production an
 * http:// URL to a host off this machine stops start-up, unless SUBGRAPH_ALLOW_HTTP=true.
 */
export function loadSubgraphUrls(subgraphs: readonly SubgraphEntry[], source?: NodeJS.ProcessEnv): Record<string, string> {
  const url = z.url({ protocol: /^https?$/ });
  const urlOf = (env: Record<string, unknown>, subgraph: SubgraphEntry) =>
    (env[`${subgraph.envPrefix}_URL`] as string | undefined) ?? subgraph.url;
  const env = parseEnv(
    z
      .object({
        NODE_ENV: z.string().optional(),
        SUBGRAPH_ALLOW_HTTP: allowHttpSchema,
        ...Object.fromEntries(subgraphs.map((subgraph) => [`${subgraph.envPrefix}_URL`, url.optional()])),
      })
      // The identities this subgraph presents to another travel on that link, as on the gateway's.
      .superRefine((env, ctx) => {
        if (env.NODE_ENV !== 'production' || env.SUBGRAPH_ALLOW_HTTP) return;
        for (const subgraph of subgraphs) {
          if (isPlainRemoteUrl(urlOf(env, subgraph)))
            ctx.addIssue({ code: 'custom', path: [`${subgraph.envPrefix}_URL`], message: `must be https://: ${PLAIN_LINK_REFUSED}` });
        }
      }),
    source,
  ) as Record<string, unknown>;
  return Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, urlOf(env, subgraph)]));
}
