import { startOrExit } from '../../lib/env.ts';
import { createLogger } from '../../lib/logger.ts';
import { runUntilStopped } from '../../lib/run-service.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { buildGateway } from '../../gateway/server.ts';

// gateway/index.ts with the gateway's field-rule filter off, so the benchmark can price the filter.
// Subgraphs still enforce the same rules: nothing unauthorized leaves even so.
await startOrExit(async () => {
  const config = loadGatewayConfig();
  const log = createLogger('gateway', config.logLevel);
  const gateway = await buildGateway(config, log, { enforceFieldRules: false });
  runUntilStopped(gateway, await gateway.listen(config.port, config.host), log);
});
