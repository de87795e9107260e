import { startOrExit } from '../../lib/config/env.ts';
import { createLogger } from '../../lib/observability/logger.ts';
import { runUntilStopped } from '../../lib/http/run-service.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { buildGateway, GATEWAY_FEATURES } from '../../gateway/server.ts';

// gateway/index.ts with the gateway's field-rule filter off, so the benchmark can price the filter.
// Subgraphs still enforce the same rules: nothing unauthorized leaves even so.
await startOrExit(async () => {
  const config = loadGatewayConfig();
  const log = createLogger('gateway', config.logLevel);
  const gateway = await buildGateway(
    config,
    log,
    GATEWAY_FEATURES.filter((feature) => feature.name !== 'field-rules'),
  );
  runUntilStopped(gateway, await gateway.listen(config.port, config.host), log);
});
