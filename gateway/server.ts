import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { disableApolloTelemetry } from '../lib/config/env.ts';
import { readCaFile } from '../lib/config/tls-files.ts';
import { maskError } from '../lib/errors/index.ts';
import { apolloOffline, graphqlHttpHandler, httpShell } from '../lib/http/index.ts';
import { IdentitySigner } from '../lib/identity/internal-identity.ts';
import { privateKey, publicKeys } from '../lib/identity/key-files.ts';
import type { Logger } from '../lib/observability/logger.ts';
import { serveInSpan } from '../lib/observability/tracing.ts';
import { callerFromRequest, partnerVerifier } from './auth/index.ts';
import { declareEnforcedSecurityFeatures, fieldRules } from './authz/index.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { explorerHandler } from './explorer/server/index.ts';
import type { FeatureFactory, FeatureHost, GatewayFeature, GatewayInterface } from './feature.ts';
import { protections } from './hardening/index.ts';
import { GatewayMetrics, observerPlugin, operationsEndpoints, probeEndpoints, recordOf, requestObserver } from './observability/index.ts';
import { persistedQueries } from './persisted-queries/index.ts';
import { createSubscriptionEngine, type Subscribe } from './subscriptions/index.ts';
import { type SubscriptionEngine, subscriptionTransports } from './subscriptions/transports/index.ts';
import {
  delegationTargets,
  servedSupergraph,
  SubgraphBreakers,
  subgraphDataSource,
  subgraphIdentities,
  subgraphPool,
  watchedSupergraph,
} from './upstream/index.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';

/**
 * The concerns a gateway is built with, in the order they are folded: field rules wrap the gateway,
 * protections wrap the error formatter and admit requests, persisted queries give Apollo its store.
 * Authentication, subgraph calls, observability and the explorer are the gateway itself, not features.
 */
export const GATEWAY_FEATURES: readonly FeatureFactory[] = [fieldRules, protections, persistedQueries];

/** How long a closing gateway lets a scrape or a probe on the operational port finish (a `/ready` asks subgraphs for under 1 s). */
const OPERATIONS_DRAIN_MS = 2_500;

/** The gateway's operational listener (OPS_PORT): `/metrics`, `/ready` and `/health`, for operators and probes only. */
export interface OperationsListener {
  readonly http: Server;
  /** Listens and resolves with its origin, e.g. `http://127.0.0.1:9464`. */
  listen(port: number, host?: string): Promise<string>;
}

/** What a gateway is built with besides its configuration: seams for tests and benchmarks. */
export interface BuildOptions {
  /** Runs subscriptions; tests pass a stand-in to exercise the transports alone. */
  subscriptionEngine?: SubscriptionEngine;
}

/** The gateway, built and ready to listen. */
export interface BuiltGateway {
  readonly http: Server;
  /** Listens and resolves with the GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>;
  /** The operational listener; it listens on its own, and {@link BuiltGateway.close} closes it too. */
  readonly operations: OperationsListener;
  /** The subscription engine without a transport: what WebSocket and SSE subscriptions run on. */
  readonly subscribe: Subscribe;
  /** Stops accepting requests and lets in-flight ones finish, for at most SHUTDOWN_TIMEOUT_MS. */
  close(): Promise<void>;
}

/**
 * Builds the gateway on the committed supergraph: `/graphql`, `/health` (liveness), `/ready`
 * (readiness) and `/`; `/metrics` only on {@link BuiltGateway.operations}, which also answers the two
 * probes. Nothing listens until {@link BuiltGateway.listen} and {@link OperationsListener.listen}.
 */
export async function buildGateway(
  config: GatewayConfig,
  log: Logger,
  featureList: readonly FeatureFactory[] = GATEWAY_FEATURES,
  options: BuildOptions = {},
): Promise<BuiltGateway> {
  const { auth, production } = config;
  const verify = partnerVerifier({
    ...(auth.jwksUrl
      ? { jwksUrl: auth.jwksUrl }
      : { jwks: await publicKeys(auth.jwksFile, 'AUTH_JWKS_FILE', production, 'partner-issuer') }),
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: auth.algorithms,
    clockToleranceSeconds: auth.clockToleranceSeconds,
    maxTokenLifetimeSeconds: auth.maxTokenLifetimeSeconds,
  });
  const signer = await IdentitySigner.create(
    await privateKey(auth.identityPrivateKeyFile, 'IDENTITY_PRIVATE_KEY_FILE', production, 'gateway-identity'),
  );
  const callerOf = callerFromRequest(verify, log);
  const delegation = delegationTargets(readSupergraphConfig());
  declareEnforcedSecurityFeatures();
  const { resilience } = config;
  // Subgraph calls and readiness probes share one pool, trusting SUBGRAPH_CA_FILE's CAs when it is set.
  const pool = subgraphPool(config.subgraphCaFile ? readCaFile(config.subgraphCaFile, 'SUBGRAPH_CA_FILE') : undefined);
  const breakers = new SubgraphBreakers({ failureThreshold: resilience.breakerFailures, openMs: resilience.breakerOpenMs }, log);
  // `engine` is built below; the gauge reads it only when scraped.
  const metrics = new GatewayMetrics(
    () => breakers.all(),
    () => engine.open,
  );
  disableApolloTelemetry();
  const apolloGateway = new ApolloGateway({
    supergraphSdl: watchedSupergraph(config.supergraphPath, log),
    buildService: subgraphDataSource(
      config.subgraphUrls,
      (name) => ({
        timeoutMs: resilience.timeoutMs[name] ?? resilience.defaultTimeoutMs,
        retries: resilience.retries,
        breaker: breakers.for(name),
        metrics,
        log,
      }),
      pool,
    ),
    logger: log,
  });
  const served = servedSupergraph(apolloGateway, config.subgraphUrls);
  const host: FeatureHost = { config, log, gateway: apolloGateway, callerOf };
  const features: GatewayFeature[] = [];
  for (const factory of featureList) features.push(await factory.build(host));
  const gateway = features.reduce<GatewayInterface>((inner, feature) => feature.wrapGateway?.(inner) ?? inner, apolloGateway);
  // One formatter for Apollo's answers and for every error a subscriber sees.
  const formatError = features.reduce((next, feature) => feature.formatError?.(next) ?? next, maskError(log));
  const apolloOptions: NonNullable<GatewayFeature['apolloOptions']> = Object.assign(
    {},
    ...features.map((feature) => feature.apolloOptions),
  );
  // Built before Apollo starts the gateway, so that it sees the first schema load.
  const engine = await createSubscriptionEngine({
    limits: {
      rules: apolloOptions.validationRules ?? [],
      maxTokens: apolloOptions.parseOptions?.maxTokens,
      checks: features.flatMap((feature) => feature.checks ?? []),
    },
    config,
    log,
    gateway: apolloGateway,
    apollo: () => apollo,
    signer,
    identitiesOf: (caller, gatewayRequestId) => subgraphIdentities(signer, delegation, caller, gatewayRequestId),
    pool,
    metrics,
  });
  const apollo = new ApolloServer<GatewayContext>({
    ...apolloOptions,
    gateway: gateway as never,
    formatError,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // runUntilStopped owns shutdown; Apollo's own signal handlers would race it.
    stopOnTerminationSignals: false,
    introspection: config.introspectionEnabled,
    plugins: [...apolloOffline(), observerPlugin(), ...features.flatMap((feature) => feature.plugins ?? [])],
  });
  await apollo.start();
  const graphql = graphqlHttpHandler(apollo, {
    log,
    context: async ({ req, request: httpRequest }) => {
      const request = recordOf(req);
      const caller = await callerOf(req);
      request.caller = caller;
      for (const feature of features) await feature.admit?.(caller, req, httpRequest);
      return { caller, identities: subgraphIdentities(signer, delegation, caller, request.gatewayRequestId), request };
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
  const subscriptions = subscriptionTransports({
    config: config.subscriptionTransports,
    maxBodyBytes: config.maxBodyBytes,
    engine: options.subscriptionEngine ?? engine,
    verify,
    formatError,
    admit: async (caller, req, request) => {
      for (const feature of features) await feature.admit?.(caller, req, request);
    },
    log,
  });
  // Accept: text/event-stream goes to SSE, everything else to Apollo; WebSockets arrive as upgrades.
  // A query or mutation is one server span (continuing the partner's traceparent); an SSE stream,
  // which may last hours, is not.
  shell.route('/graphql', (req, res) =>
    observe(req, res, () =>
      subscriptions.wantsSse(req)
        ? subscriptions.serveSse(req, res)
        : serveInSpan(`${req.method} /graphql`, req, res, () => graphql(req, res)),
    ),
  );
  shell.http.on('upgrade', (req, socket, head: Buffer) => {
    if ((req.url ?? '/').split('?')[0] === '/graphql') return subscriptions.upgrade(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  for (const feature of features) for (const [path, route] of Object.entries(feature.routes ?? {})) shell.route(path, route);
  const operations = {
    subgraphUrls: served.subgraphUrls,
    subgraphPool: pool,
    breakers: () => breakers.all(),
    metrics,
    supergraphLoaded: served.loaded,
    draining: () => shell.draining,
  };
  shell.fallback(probeEndpoints(operations));
  shell.fallback(explorer);
  // A second shell on its own port, so that partners never reach /metrics.
  const operationsShell = httpShell(log);
  operationsShell.fallback(operationsEndpoints(operations));

  return {
    http: shell.http,
    listen: shell.listen,
    subscribe: engine.subscribe,
    operations: {
      http: operationsShell.http,
      listen: async (port, host) => new URL(await operationsShell.listen(port, host)).origin,
    },
    async close() {
      try {
        // Streams first, each with a reason its client can act on: the drain would otherwise wait them out.
        await subscriptions.close();
        engine.close();
        await shell.drain(config.shutdownTimeoutMs);
        await apollo.stop();
        for (const feature of features) await feature.close?.();
        // Destroyed, not closed: the drain is over, so a subgraph call still running has nobody to answer.
        await pool.destroy();
      } finally {
        // Last, so that probes read `draining` while the partners' port drains; it serves no long request.
        await operationsShell.drain(OPERATIONS_DRAIN_MS);
      }
    },
  };
}
