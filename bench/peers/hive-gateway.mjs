// Hive Gateway as its Node.js integration documents it: the runtime behind node:http, the supergraph
// from a file, default options. HIVE_ROUTER_RUNTIME=true plans with the Rust query planner
// (@graphql-hive/router-runtime). It forwards only the pre-issued gateway identity the client sends.
// Plain JavaScript: this folder has its own node_modules, installed by the benchmark on first run.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const supergraphPath = process.env.BENCH_SUPERGRAPH;
if (!supergraphPath) throw new Error('BENCH_SUPERGRAPH must name the supergraph file');
const rust = process.env.HIVE_ROUTER_RUNTIME === 'true';

const gateway = createGatewayRuntime({
  supergraph: readFileSync(supergraphPath, 'utf8'),
  logging: 'error',
  landingPage: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ 'liaison-identity': request.headers.get('liaison-identity') }),
  },
  ...(rust ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler } : {}),
});
const server = createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: `http://127.0.0.1:${server.address().port}/graphql` });
});
const stop = () => server.close(() => void gateway.dispose().finally(() => process.exit(0)));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
