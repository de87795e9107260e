import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { JWK } from 'jose';
import { apolloOffline } from '../../../lib/http/apollo-offline.ts';
import { loadPolicies } from '../../../lib/authz/load-policies.ts';
import type { Caller } from '../../../lib/authz/principal.ts';
import { maskError } from '../../../lib/errors.ts';
import { graphqlHttpHandler } from '../../../lib/http/graphql-http-handler.ts';
import { httpShell } from '../../../lib/http/http-shell.ts';
import { requestIdOf, runInRequestScope } from '../../../lib/observability/request-scope.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requestMetadataOf } from '../../../lib/observability/request-metadata.ts';
import { auditPlugin } from '../audit/audit-plugin.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { auditEntryResolvers } from '../audit/audit-entry-resolvers.ts';
import { AuditTrailRepository } from '../audit/audit-trail-repository.ts';
import { RequestAudit } from '../audit/request-audit.ts';
import { type AuditedTypes, trackDisclosures } from '../audit/track-disclosures.ts';
import { NO_NOTIFIER, type OwnershipChangeNotifier, WriteRunner } from '../write/write-runner.ts';
import { IDENTITY_HEADER } from '../../../lib/identity/internal-identity.ts';
import type { LookupCache } from '../cache/lookup-cache.ts';
import { type CacheOptions, openLookupCache } from '../cache/open-cache.ts';
import type { Db } from '../db/db.ts';
import { enforceFieldRules } from '../authz/enforce-field-rules.ts';
import { gatewayIdentity } from '../authz/gateway-identity.ts';
import { migrate } from '../db/migrate.ts';
import { subgraphEndpoints } from './subgraph-endpoints.ts';
import { refuseUnstorableArguments } from '../input/storable-arguments.ts';
import type { SeedSize } from '../seed/seed-plan.ts';
import { readSubgraphSdl } from './type-defs.ts';

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
  /** The gateway-signed identity this request came with, to call another subgraph on the caller's behalf. */
  identityToken: string;
}

const KIT_MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Options for {@link buildSubgraphServer}. */
export interface SubgraphServerOptions {
  db: Db;
  log: Logger;
  /** Seed an empty database with this much demo data; `none` leaves it empty. */
  seed: SeedSize;
  /** The gateway's public keys: only identities they sign are accepted. */
  identityKeys: JWK[];
  /** The lookup cache; omitted, nothing is cached (run-subgraph always passes the configured one). */
  cache?: CacheOptions | undefined;
  /** How long {@link BuiltSubgraph.close} lets in-flight requests finish (default 10 s). */
  shutdownTimeoutMs?: number | undefined;
  /** Who to tell when records change ownership; omitted, nobody. */
  notifier?: OwnershipChangeNotifier | undefined;
  /**
   * `false` records no disclosures, so benchmarks can price the audit trail. Never in a deployment:
   * run-subgraph does not pass it. Writes are audited regardless.
   */
  auditDisclosures?: boolean | undefined;
  /**
   * Where another subgraph of the supergraph answers, by name, read at each call: for subgraphs that
   * call others directly on their caller's behalf (case-status reading a linked record's ownership).
   */
  subgraphUrl?: ((name: string) => string | undefined) | undefined;
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

/** Migrates and seeds the database, then builds the subgraph's HTTP server: `/graphql`, `/health`, `/ready` and `/metrics`. */
export async function buildSubgraphServer<C extends { caller: Caller }>(
  definition: SubgraphDefinition<C>,
  options: SubgraphServerOptions,
): Promise<BuiltSubgraph> {
  const { db, log } = options;
  const applied = [...(await migrate(db, KIT_MIGRATIONS, 'kit/')), ...(await migrate(db, definition.migrationsDir))];
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  if (options.seed !== 'none') await seedIfEmpty(definition, db, options.seed, log);
  const migrations = readdirSync(definition.migrationsDir).filter((file) => file.endsWith('.sql')).length;
  const cache = await openLookupCache(definition.name, `${migrations}.${definition.cacheVersion ?? 1}`, options.cache, log);
  log.info({ cache: cache.description }, 'lookup cache');

  const sdl = readSubgraphSdl(definition.schemaPath);
  const schema = buildSubgraphSchema([
    { typeDefs: parse(sdl), resolvers: { ...auditEntryResolvers(definition.name), ...definition.resolvers } },
  ]);
  const auditing = options.auditDisclosures !== false;
  if (auditing) trackDisclosures(schema, definition.auditedTypes, (context) => (context as KitContext).audit);
  enforceFieldRules(schema, sdl, await loadPolicies([{ name: definition.name }]), (context) => (context as C).caller);
  // Outermost, so text no database can store is refused before rules, disclosures or lookups run.
  refuseUnstorableArguments(schema);
  const auditLog = new AuditLog(db, log);
  const notifier = options.notifier ?? NO_NOTIFIER;
  const identify = gatewayIdentity(options.identityKeys, log);
  const apollo = new ApolloServer<C & KitContext>({
    schema,
    formatError: maskError(log),
    includeStacktraceInErrorResponses: false,
    // runUntilStopped owns shutdown; Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    // Federated traces (ftv1) are for Apollo Studio, which Liaison never reports to, and nothing
    // else reads them. No cache hints are set or read anywhere; the default cache-control plugin would
    // still hook every resolved field (a fifth of a deep query's CPU in the benchmark's profile).
    plugins: [
      ...apolloOffline(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      ...(auditing ? [auditPlugin(auditLog, (context: KitContext) => context.audit)] : []),
    ],
  });
  await apollo.start();
  const graphql = graphqlHttpHandler(apollo, {
    log,
    context: async ({ req }) => {
      const caller = await identify(req);
      const audit = new RequestAudit(caller, requestMetadataOf(req.headers));
      const identityToken = String(req.headers[IDENTITY_HEADER] ?? '');
      const kit: KitContext = {
        caller,
        identityToken,
        audit,
        writes: new WriteRunner(db, cache, audit, log, notifier, identityToken),
        auditTrail: new AuditTrailRepository(db, caller),
      };
      return { ...definition.createContext(db, caller, cache), ...kit };
    },
  });

  const shell = httpShell(log);
  // The gateway sends the request's ids, so this subgraph's log lines can be matched to the partner
  // request and to its audit entries.
  shell.route('/graphql', (req, res) => {
    const scope = { requestId: requestIdOf(req), gatewayRequestId: requestMetadataOf(req.headers).requestId ?? undefined };
    return runInRequestScope(scope, () => graphql(req, res));
  });
  shell.fallback(subgraphEndpoints({ db, metrics: () => cache.metrics.exposition(), draining: () => shell.draining }));

  return {
    name: definition.name,
    http: shell.http,
    cache,
    listen: shell.listen,
    async close() {
      await shell.drain(options.shutdownTimeoutMs ?? 10_000);
      await apollo.stop();
      await auditLog.drain();
      await cache.close();
      await db.close();
    },
  };
}

async function seedIfEmpty<C extends { caller: Caller }>(
  definition: SubgraphDefinition<C>,
  db: Db,
  size: Exclude<SeedSize, 'none'>,
  log: Logger,
): Promise<void> {
  await db.exec('create table if not exists seed_state (size text not null, seeded_at timestamptz not null default now())');
  const seeded = await db.query<{ size: string }>('select size from seed_state limit 1');
  if (seeded.length > 0) return;
  const started = Date.now();
  await definition.seed(db, size);
  await db.query('insert into seed_state (size) values ($1)', [size]);
  // Fresh statistics, or the planner misjudges the just-loaded tables until autovacuum gets to them.
  await db.exec('analyze');
  log.info({ size, ms: Date.now() - started }, 'seeded demo data');
}
