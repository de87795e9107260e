import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { JWK } from 'jose';
import type { Dispatcher } from 'undici';
import type { Caller } from '../../../lib/authz/principal.ts';
import type { ServerCertificate } from '../../../lib/config/tls-files.ts';
import type { HttpShell } from '../../../lib/http/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { AuditKey } from '../audit/audit-key.ts';
import type { SubgraphIdentity } from '../authz/gateway-identity.ts';
import type { AuditTrailRepository } from '../audit/audit-trail-repository.ts';
import type { AuditCheckpointOptions } from '../audit/checkpoint-writer.ts';
import type { RequestAudit } from '../audit/request-audit.ts';
import type { AuditedTypes } from '../audit/track-disclosures.ts';
import type { LookupCache } from '../cache/lookup-cache.ts';
import type { CacheOptions } from '../cache/open-cache.ts';
import type { Db } from '../db/db.ts';
import type { RecordEventOptions } from '../events/record-event-options.ts';
import type { SeedSize } from '../seed/seed-plan.ts';
import type { IdentityFor, OwnershipChangeNotifier, WriteRunner } from '../write/write-runner.ts';

/** What an agency provides to turn its folder into a subgraph. */
export interface SubgraphDefinition<C extends { caller: Caller }> {
  /** The subgraph's name in schema/supergraph.yaml. */
  name: string;
  /** Absolute path of the subgraph's schema.graphql. */
  schemaPath: string;
  /** Absolute path of the folder of NNN_name.sql migrations. */
  migrationsDir: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- resolver parents are the repositories' row types, which GraphQL cannot express
  resolvers: GraphQLResolverMap<any>;
  /** Fills an empty database with deterministic demo data. */
  seed: (db: Db, size: Exclude<SeedSize, 'none'>) => Promise<void>;
  /**
   * Builds the per-request context for the verified caller: repositories and DataLoaders live
   * exactly one request; the lookup cache is the process's, shared by every request.
   */
  createContext: (db: Db, caller: Caller, cache: LookupCache) => C;
  /**
   * The object types whose rows are this subgraph's own records, with how to read a row's record id:
   * serving any of their fields records a disclosure in the audit trail of the record's owner.
   */
  auditedTypes: AuditedTypes;
  /**
   * Bump when a cached row's shape changes without a migration (a column added to a repository's
   * select list): it is part of every cache key, with the number of migrations.
   */
  cacheVersion?: number;
}

/** What the kit adds to every request's context, next to the subgraph's own. */
export interface KitContext {
  caller: Caller;
  /** What this request disclosed, and its partner request's metadata. */
  audit: RequestAudit;
  /** Runs this request's writes: transaction, idempotency, audit entry, cache invalidation. */
  writes: WriteRunner;
  /** The trail of the caller's own agency, for auditors. */
  auditTrail: AuditTrailRepository;
  /**
   * The identity the gateway minted for this request to present to `subgraph` on the caller's behalf (for
   * mutations, to the subgraphs schema/supergraph.yaml links this one with); '' when it minted none,
   * which that subgraph refuses. The identity this request came with is good here only.
   */
  identityFor: IdentityFor;
}

/** What a subgraph feature is built from. */
export interface SubgraphFeatureHost {
  name: string;
  /** The subgraph's SDL, with the kit's common types. */
  sdl: string;
  auditedTypes: AuditedTypes;
  db: Db;
  log: Logger;
  /** Authenticates the audit entries and checkpoints. */
  auditKey: AuditKey;
  /** Where chain heads are anchored outside the database; absent, they are not. */
  auditCheckpoints?: AuditCheckpointOptions | undefined;
  /** How the record-event feed polls and how long events are kept; absent, the defaults. */
  recordEvents?: RecordEventOptions | undefined;
  /** Who is told when records change ownership, and owns the relay of their outbox; absent, nobody. */
  notifier?: OwnershipChangeNotifier | undefined;
  /** The subgraph's metrics registry (served at /metrics), for a feature's own series; absent, none. */
  registry?: Registry | undefined;
}

/** What a feature serves its own routes with, beside /graphql. */
export interface FeatureRouting {
  /** The subgraph's HTTP shell: a route per exact path, and whether it began to drain (long responses then end). */
  shell: Pick<HttpShell, 'route' | 'draining'>;
  /** The gateway-identity check of /graphql (one nonce store for both: an identity is good once anywhere). */
  identify(req: IncomingMessage): Promise<Caller>;
}

/**
 * What one concern contributes to every subgraph; every part is optional. The builder applies schema
 * transforms in list order, so a later feature's resolver wrapper runs first.
 */
export interface SubgraphFeature {
  /** Wraps the schema's resolvers in place. */
  transformSchema?(schema: GraphQLSchema): void;
  /** Apollo Server plugins. */
  plugins?: ApolloServerPlugin<KitContext>[];
  /** Registers routes of its own (the record-event feed), once the HTTP shell exists. */
  routes?(routing: FeatureRouting): void;
  /** Runs after Apollo stops, before the cache and database close. */
  close?(): Promise<void>;
}

/** A concern a subgraph can be built with or without: benchmarks price one by leaving it out. */
export interface SubgraphFeatureFactory {
  readonly name: string;
  build(host: SubgraphFeatureHost): Promise<SubgraphFeature> | SubgraphFeature;
}

/** Options for `buildSubgraphServer`. */
export interface SubgraphServerOptions {
  db: Db;
  log: Logger;
  /** Seed an empty database with this much demo data; `none` leaves it empty. */
  seed: SeedSize;
  /** The gateway's public keys: only identities they sign are accepted. */
  identityKeys: JWK[];
  /**
   * The ownership-notification relays' public keys (NOTIFICATION_JWKS_FILE): identities they sign are
   * accepted for telling a keeper to re-read records and for its read-back only. Omitted, none.
   */
  relayIdentityKeys?: JWK[] | undefined;
  /** The lookup cache; omitted, nothing is cached (run-subgraph always passes the configured one). */
  cache?: CacheOptions | undefined;
  /** How long {@link BuiltSubgraph.close} lets in-flight requests finish (default 10 s). */
  shutdownTimeoutMs?: number | undefined;
  /** Who to tell when records change ownership; omitted, nobody. */
  notifier?: OwnershipChangeNotifier | undefined;
  /**
   * Where another subgraph of the supergraph answers, by name, read at each call: for subgraphs that
   * call others directly on their caller's behalf (case-status reading a linked record's ownership).
   */
  subgraphUrl?: ((name: string) => string | undefined) | undefined;
  /**
   * How calls to other subgraphs connect: an undici Agent whose `connect.ca` is SUBGRAPH_CA_FILE, so
   * their certificates are verified against it. Omitted, Node's fetch and its bundled CAs.
   */
  subgraphDispatcher?: Dispatcher | undefined;
  /** Serve HTTPS only, with this certificate and key (TLS_CERT_FILE, TLS_KEY_FILE); omitted, plain HTTP. */
  tls?: ServerCertificate | undefined;
  /**
   * The features to build with, `SUBGRAPH_FEATURES` when omitted. Only benchmarks pass a shorter list,
   * to price one feature; run-subgraph never does.
   */
  features?: readonly SubgraphFeatureFactory[] | undefined;
  /**
   * Who a request is from; omitted, the gateway's identities, verified with `identityKeys`. Only
   * benchmarks pass one, to price the identity check against a subgraph without it; run-subgraph never does.
   */
  identity?: SubgraphIdentity | undefined;
  /**
   * The key that authenticates audit entries and checkpoints; omitted, this subgraph's development key
   * (run-subgraph always passes the configured one, and production refuses to run without it).
   */
  auditKey?: AuditKey | undefined;
  /** Anchor chain heads in a file outside the database; omitted (tests, benchmarks), nothing is anchored. */
  auditCheckpoints?: AuditCheckpointOptions | undefined;
  /** The record-event feed's polling and retention (RECORD_EVENT_RETENTION_HOURS); omitted, the defaults. */
  recordEvents?: RecordEventOptions | undefined;
  /**
   * A connection as the role that owns the schema: migrations and the seed run with it, then it grants
   * `db`'s role what serving needs, only appending to the audit trail. Omitted, `db` migrates and nothing
   * is granted. The caller closes it.
   */
  migrationDb?: Db | undefined;
}

/** A subgraph built and ready to listen. */
export interface BuiltSubgraph {
  readonly name: string;
  readonly http: Server;
  /** The process's lookup cache, e.g. to invalidate keys after a write. */
  readonly cache: LookupCache;
  /** Listens and resolves with the GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting requests, lets in-flight ones finish (within the shutdown bound), closes the database. */
  close(): Promise<void>;
}
