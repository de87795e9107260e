import { startOrExit } from '../lib/config/env.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { startTracing } from '../lib/observability/tracing.ts';
import { runUntilStopped } from '../lib/http/run-service.ts';
import { loadGatewayConfig } from './config.ts';
import { buildGateway } from './server.ts';

await startOrExit(async () => {
  const config = loadGatewayConfig();
  const stopTracing = startTracing(config.tracing);
  const log = createLogger('gateway', config.logLevel);
  const gateway = await buildGateway(config, log);
  const url = await gateway.listen(config.port, config.host);
  const operations = await gateway.operations.listen(config.operations.port, config.operations.host);
  log.info({ url, operations, subgraphs: config.subgraphUrls }, 'gateway ready');
  // Spans still buffered are flushed once the last request has drained.
  const service = { close: () => gateway.close().finally(stopTracing) };
  runUntilStopped(service, url, log, config.shutdownTimeoutMs, { operations });
});
