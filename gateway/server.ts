import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { apolloOffline } from '../lib/http/apollo-offline.ts';
import { loadPolicies } from '../lib/authz/load-policies.ts';
import { disableApolloTelemetry } from '../lib/config/env.ts';
import { maskError } from '../lib/errors.ts';
import { IdentitySigner } from '../lib/identity/internal-identity.ts';
import { privateKey, publicKeys } from '../lib/identity/key-files.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { graphqlHttpHandler } from '../lib/http/graphql-http-handler.ts';
import { httpShell } from '../lib/http/http-shell.ts';
import type { Logger } from '../lib/observability/logger.ts';
import { callerFromRequest } from './auth/caller-from-request.ts';
import { partnerVerifier } from './auth/partner-verifier.ts';
import { AuthorizingGateway } from './authz/authorizing-gateway.ts';
import { declareEnforcedSecurityFeatures } from './authz/declare-enforced-features.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { persistedQueries } from './persisted-queries/persisted-queries.ts';
import { explorerHandler } from './explorer/server/explorer-assets.ts';
import { GatewayMetrics } from './observability/gateway-metrics.ts';
import { buildProtections } from './hardening/protections.ts';
import { operationsEndpoints } from './observability/operations-endpoints.ts';
import { observerPlugin, recordOf, requestObserver } from './observability/request-observer.ts';
import { SubgraphBreakers } from './upstream/subgraph-breakers.ts';
import { subgraphDataSource } from './upstream/subgraph-data-source.ts';
import { watchedSupergraph } from './upstream/supergraph-watcher.ts';

/** The gateway, built and ready to listen. */
export interface BuiltGateway {
  readonly http: Server;
  /** Listens and resolves with the GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting requests and lets in-flight ones finish, for at most SHUTDOWN_TIMEOUT_MS. */
  close(): Promise<void>;
}

/** Programmatic variations of the gateway, not reachable through configuration. */
export interface BuildGatewayOptions {
  /**
   * `false` skips the gateway's field-rule filter so benchmarks can price it. Subgraphs still enforce
   * the same rules, so nothing unauthorized is disclosed even then.
   */
  enforceFieldRules?: boolean;
  /** `false` drops query limits, cost budgets, trusted documents and rate limits, so benchmarks can price them. */
  protections?: boolean;
}

/**
 * Builds the gateway on the committed supergraph: `/graphql`, `/health` (liveness), `/ready`
 * (readiness), `/metrics` and `/`. Nothing listens until {@link BuiltGateway.listen}.
 */
export async function buildGateway(config: GatewayConfig, log: Logger, options: BuildGatewayOptions = {}): Promise<BuiltGateway> {
  const { auth, production } = config;
  const verify = partnerVerifier({
    ...(auth.jwksUrl ? { jwksUrl: auth.jwksUrl } : { jwks: await publicKeys(auth.jwksFile, 'AUTH_JWKS_FILE', production, 'partner-issuer') }),
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.algorithms,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    maxTokenLifetimeSeconds: auth.maxTokenLifetimeSeconds,
  });
  const signer = await IdentitySigner.create(await privateKey(auth.identityPrivateKeyFile, 'IDENTITY_PRIVATE_KEY_FILE', production, 'gateway-identity'));
  const callerOf = callerFromRequest(verify, log);
  declareEnforcedSecurityFeatures();
  const { resilience } = config;
  const breakers = new SubgraphBreakers({ failureThreshold: resilience.breakerFailures, openMs: resilience.breakerOpenMs }, log);
  const metrics = new GatewayMetrics(() => breakers.all());
  disableApolloTelemetry();
  const apolloGateway = new ApolloGateway({
    supergraphSdl: watchedSupergraph(config.supergraphPath, log),
    buildService: subgraphDataSource(config.subgraphUrls, (name) => ({
      timeoutMs: resilience.timeoutMs[name] ?? resilience.defaultTimeoutMs,
      retries: resilience.retries,
      breaker: breakers.for(name),
      metrics,
      log,
    })),
    logger: log,
  });
  let supergraphLoaded = false;
  apolloGateway.onSchemaLoadOrUpdate(() => {
    supergraphLoaded = true;
  });
  const gateway =
    options.enforceFieldRules === false
      ? apolloGateway
      : new AuthorizingGateway(apolloGateway, {
          policies: await loadPolicies(readSupergraphConfig()),
          rejectUnauthorized: auth.rejectUnauthorized,
          callerOf: (context) => (context as unknown as GatewayContext).caller,
        });
  const protections = options.protections === false ? undefined : await buildProtections(config, log, apolloGateway, callerOf);
  const persisted = persistedQueries(config.redis, log);
  const apollo = new ApolloServer<GatewayContext>({
    persistedQueries: persisted.options,
    gateway: gateway as never,
    formatError: protections ? protections.formatError(maskError(log)) : maskError(log),
    ...protections?.apollo,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // runUntilStopped owns shutdown; Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    introspection: config.introspectionEnabled,
    plugins: [...apolloOffline(), observerPlugin(), ...(protections ? [protections.plugin] : [])],
  });
  await apollo.start();
  const graphql = graphqlHttpHandler(apollo, {
    log,
    context: async ({ req, request: httpRequest }) => {
      const request = recordOf(req);
      const caller = await callerOf(req);
      request.caller = caller;
      await protections?.admit(caller, req, httpRequest);
      let identity: Promise<string> | undefined;
      return { caller, identity: () => (identity ??= signer.sign(caller)), request };
    },
    maxBodyBytes: config.maxBodyBytes,
  });

  const explorer = explorerHandler({
    enabled: config.explorerEnabled,
    // Demo tokens are signed with the development key, which only a development gateway accepts.
    devProfiles: !production && !auth.jwksUrl && !auth.jwksFile,
    supergraphPath: config.supergraphPath,
    graphqlPath: '/graphql',
  });
  const observe = requestObserver(log, metrics);
  const shell = httpShell(log);
  shell.route('/graphql', (req, res) => observe(req, res, () => graphql(req, res)));
  if (protections) shell.route('/trusted-documents', protections.trustedDocuments);
  shell.fallback(
    operationsEndpoints({
      subgraphUrls: config.subgraphUrls,
      breakers: () => breakers.all(),
      metrics,
      supergraphLoaded: () => supergraphLoaded,
      draining: () => shell.draining,
    }),
  );
  shell.fallback(explorer);

  return {
    http: shell.http,
    listen: shell.listen,
    async close() {
      await shell.drain(config.shutdownTimeoutMs);
      await apollo.stop();
      await persisted.close();
      await protections?.close();
    },
  };
}
