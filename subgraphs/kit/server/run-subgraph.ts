import { Agent } from 'undici';
import { startOrExit } from '../../../lib/config/env.ts';
import { privateKey, publicKeys } from '../../../lib/identity/key-files.ts';
import { createLogger } from '../../../lib/observability/logger.ts';
import { startTracing } from '../../../lib/observability/tracing.ts';
import { tracingConfigOf } from '../../../lib/observability/tracing-config.ts';
import { runUntilStopped } from '../../../lib/http/run-service.ts';
import { readSupergraphConfig } from '../../../lib/config/supergraph-config.ts';
import { loadAuditKey } from '../audit/load-audit-key.ts';
import { readCacheKey } from '../cache/cache-key.ts';
import { openDb } from '../db/db.ts';
import { ownershipNotifierFor } from '../links/ownership-notifier.ts';
import { NO_NOTIFIER } from '../write/write-runner.ts';
import {
  auditCheckpointsOf,
  cacheOptionsOf,
  loadSubgraphConfig,
  loadSubgraphUrls,
  peerCaOf,
  serverCertificateOf,
} from './subgraph-config.ts';
import type { BuiltSubgraph, SubgraphServerOptions } from './contract.ts';

/**
 * The whole of a subgraph's index.ts: read its environment, open its database, build, listen, and
 * stop cleanly. The default port comes from the subgraph's routing URL in schema/supergraph.yaml.
 */
export function runSubgraph(name: string, build: (options: SubgraphServerOptions) => Promise<BuiltSubgraph>): Promise<void> {
  return startOrExit(async () => {
    const subgraphs = readSupergraphConfig();
    const entry = subgraphs.find((subgraph) => subgraph.name === name);
    if (!entry) throw new Error(`subgraph ${name} is not listed in schema/supergraph.yaml`);
    const config = loadSubgraphConfig(entry.port);
    const stopTracing = startTracing(tracingConfigOf(config, name));
    const urls = loadSubgraphUrls(subgraphs);
    const subgraphUrl = (peer: string): string | undefined => urls[peer];
    const log = createLogger(name, config.LOG_LEVEL);
    // Read before anything opens, so a missing production key stops the process at once.
    const cacheKey = readCacheKey(config.CACHE_KEY_FILE, config.NODE_ENV === 'production');
    const auditKey = loadAuditKey(config.AUDIT_KEY_FILE, config.NODE_ENV === 'production', name);
    const tls = serverCertificateOf(config);
    const peerCa = peerCaOf(config);
    // Calls to other subgraphs verify their certificates against SUBGRAPH_CA_FILE, never against nothing.
    const subgraphDispatcher = peerCa ? new Agent({ connect: { ca: peerCa } }) : undefined;
    const db = await openDb({
      url: config.DATABASE_URL,
      dataDir: config.PGLITE_DATA_DIR,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      log,
    });
    log.info(
      { database: db.kind === 'postgres' ? 'postgres (DATABASE_URL)' : `pglite (${config.PGLITE_DATA_DIR ?? 'in memory'})` },
      'database opened',
    );
    const identityKeys = await publicKeys(
      config.IDENTITY_JWKS_FILE,
      'IDENTITY_JWKS_FILE',
      config.NODE_ENV === 'production',
      'gateway-identity',
    );
    const production = config.NODE_ENV === 'production';
    const notificationKey = config.NOTIFICATION_IDENTITY_KEY_FILE
      ? await privateKey(config.NOTIFICATION_IDENTITY_KEY_FILE, 'NOTIFICATION_IDENTITY_KEY_FILE', production, 'notification-relay')
      : production
        ? null
        : undefined;
    // Unset in production, no relay is trusted: a keeper then hears of a change only with its write.
    const relayIdentityKeys =
      config.NOTIFICATION_JWKS_FILE || !production
        ? await publicKeys(config.NOTIFICATION_JWKS_FILE, 'NOTIFICATION_JWKS_FILE', production, 'notification-relay')
        : [];
    const notifier = ownershipNotifierFor(name, subgraphs, subgraphUrl, log, {
      dispatcher: subgraphDispatcher,
      identityKey: notificationKey,
      pollMs: config.OWNERSHIP_NOTIFICATION_POLL_MS,
      backoff: { maxMs: config.OWNERSHIP_NOTIFICATION_RETRY_MAX_MS },
    });
    if (notificationKey === null && notifier !== NO_NOTIFIER) {
      log.warn('NOTIFICATION_IDENTITY_KEY_FILE unset: an ownership change not delivered with its write waits in the outbox');
    }
    // The owner role migrates and seeds, then leaves; DATABASE_URL's role serves.
    const migrationDb =
      config.MIGRATION_DATABASE_URL && config.DATABASE_URL
        ? await openDb({ url: config.MIGRATION_DATABASE_URL, connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS, log })
        : undefined;
    const server = await build({
      db,
      log,
      seed: config.SEED,
      identityKeys,
      relayIdentityKeys,
      cache: { ...cacheOptionsOf(config), key: cacheKey },
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      notifier,
      subgraphUrl,
      subgraphDispatcher,
      tls,
      auditKey,
      auditCheckpoints: auditCheckpointsOf(config, name),
      recordEvents: { retentionHours: config.RECORD_EVENT_RETENTION_HOURS },
      migrationDb,
    }).finally(() => migrationDb?.close());
    const url = await server.listen(config.PORT, config.HOST);
    log.info({ url, subgraphCa: config.SUBGRAPH_CA_FILE ?? 'system CAs' }, 'subgraph ready');
    // Spans still buffered are flushed once the last request has drained.
    runUntilStopped({ close: () => server.close().finally(stopTracing) }, url, log, config.SHUTDOWN_TIMEOUT_MS);
  });
}
