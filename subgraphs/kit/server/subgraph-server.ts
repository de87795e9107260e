import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { Caller } from '../../../lib/authz/principal.ts';
import { maskError } from '../../../lib/errors/index.ts';
import { apolloOffline, graphqlHttpHandler, httpShell } from '../../../lib/http/index.ts';
import { DELEGATED_IDENTITY_HEADER } from '../../../lib/identity/internal-identity.ts';
import { requestMetadataOf } from '../../../lib/observability/request-metadata.ts';
import { requestIdOf, runInRequestScope } from '../../../lib/observability/request-scope.ts';
import { serveInSpan } from '../../../lib/observability/tracing.ts';
import { auditEntryResolvers } from '../audit/audit-entry-resolvers.ts';
import { AuditTrailRepository } from '../audit/audit-trail-repository.ts';
import { RequestAudit } from '../audit/request-audit.ts';
import { devAuditKey } from '../audit/load-audit-key.ts';
import { delegatedIdentities } from '../authz/delegated-identities.ts';
import { gatewayIdentity } from '../authz/gateway-identity.ts';
import { openLookupCache } from '../cache/open-cache.ts';
import { grantAppRole } from '../db/grant-app-role.ts';
import { tracedDb } from '../db/traced-db.ts';
import { migrate } from '../db/migrate.ts';
import { seedIfEmpty } from '../seed/seed-if-empty.ts';
import { NO_NOTIFIER, WriteRunner } from '../write/write-runner.ts';
import type {
  BuiltSubgraph,
  KitContext,
  SubgraphDefinition,
  SubgraphFeature,
  SubgraphFeatureHost,
  SubgraphServerOptions,
} from './contract.ts';
import { subgraphEndpoints } from './subgraph-endpoints.ts';
import { SubgraphMetrics } from './subgraph-metrics.ts';
import { SUBGRAPH_FEATURES } from './subgraph-features.ts';
import { readSubgraphSdl } from './type-defs.ts';

const KIT_MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

/** Migrates and seeds the database, then builds the subgraph's HTTP server: `/graphql`, `/health`, `/ready` and `/metrics`. */
export async function buildSubgraphServer<C extends { caller: Caller }>(
  definition: SubgraphDefinition<C>,
  options: SubgraphServerOptions,
): Promise<BuiltSubgraph> {
  const { log } = options;
  const db = tracedDb(options.db);
  const owner = options.migrationDb ?? db;
  const applied = [...(await migrate(owner, KIT_MIGRATIONS, 'kit/')), ...(await migrate(owner, definition.migrationsDir))];
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  if (options.seed !== 'none') await seedIfEmpty(owner, definition.seed, options.seed, log);
  if (options.migrationDb) await grantAppRole(options.migrationDb, db, log);
  const auditKey = options.auditKey ?? devAuditKey(definition.name);
  const migrations = readdirSync(definition.migrationsDir).filter((file) => file.endsWith('.sql')).length;
  const metrics = new SubgraphMetrics(definition.name, db);
  const cache = await openLookupCache(
    definition.name,
    `${migrations}.${definition.cacheVersion ?? 1}`,
    options.cache,
    log,
    metrics.registry,
  );
  log.info({ cache: cache.description }, 'lookup cache');

  const sdl = readSubgraphSdl(definition.schemaPath);
  const schema = buildSubgraphSchema([
    { typeDefs: parse(sdl), resolvers: { ...auditEntryResolvers(definition.name), ...definition.resolvers } },
  ]);
  const host: SubgraphFeatureHost = {
    name: definition.name,
    sdl,
    auditedTypes: definition.auditedTypes,
    db,
    log,
    auditKey,
    auditCheckpoints: options.auditCheckpoints,
    recordEvents: options.recordEvents,
    notifier: options.notifier,
    registry: metrics.registry,
  };
  const features: SubgraphFeature[] = [];
  for (const factory of options.features ?? SUBGRAPH_FEATURES) features.push(await factory.build(host));
  for (const feature of features) feature.transformSchema?.(schema);
  const notifier = options.notifier ?? NO_NOTIFIER;
  const { identify, identifyFor } =
    options.identity ?? gatewayIdentity(options.identityKeys, definition.name, log, options.relayIdentityKeys);
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
      ...features.flatMap((feature) => feature.plugins ?? []),
    ],
  });
  await apollo.start();
  const graphql = graphqlHttpHandler(apollo, {
    log,
    context: async ({ req, request }) => {
      const caller = await identifyFor(req, (request.body as { query?: unknown } | undefined)?.query);
      const audit = new RequestAudit(caller, requestMetadataOf(req.headers));
      const identityFor = delegatedIdentities(req.headers[DELEGATED_IDENTITY_HEADER], definition.name);
      const kit: KitContext = {
        caller,
        identityFor,
        audit,
        writes: new WriteRunner(db, cache, audit, auditKey, log, notifier, identityFor),
        auditTrail: new AuditTrailRepository(db, caller),
      };
      return { ...definition.createContext(db, caller, cache), ...kit };
    },
  });

  const shell = httpShell(log, { tls: options.tls });
  // The gateway sends the request's ids, so this subgraph's log lines can be matched to the partner
  // request and to its audit entries.
  shell.route('/graphql', (req, res) => {
    const scope = { requestId: requestIdOf(req), gatewayRequestId: requestMetadataOf(req.headers).requestId ?? undefined };
    return runInRequestScope(scope, () =>
      metrics.observe(req, res, () => serveInSpan(`${req.method} /graphql`, req, res, () => graphql(req, res))),
    );
  });
  for (const feature of features) feature.routes?.({ shell, identify });
  shell.fallback(subgraphEndpoints({ db, metrics: () => metrics.exposition(), draining: () => shell.draining }));

  return {
    name: definition.name,
    http: shell.http,
    cache,
    listen: shell.listen,
    async close() {
      await shell.drain(options.shutdownTimeoutMs ?? 10_000);
      await apollo.stop();
      for (const feature of features) await feature.close?.();
      await cache.close();
      await db.close();
    },
  };
}
