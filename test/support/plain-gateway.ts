import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPERGRAPH_GRAPHQL } from '../../lib/config/supergraph-config.ts';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';

/** Plain @apollo/gateway (the benchmark's, bench/gateways/apollo-gateway.ts) in its own process. */
export interface PlainGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the benchmark's plain Apollo gateway on the committed supergraph routed to `subgraphUrls`,
 * as a reference for what graphql-js and Apollo answer. It forwards the `liaison-identity` header
 * the client sends (see identityHeaders) and enforces no field rule of its own.
 */
export async function startPlainGateway(subgraphUrls: Record<string, string>): Promise<PlainGateway> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-plain-gateway-'));
  let sdl = readFileSync(SUPERGRAPH_GRAPHQL, 'utf8');
  for (const [name, url] of Object.entries(subgraphUrls)) {
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${url}$2`);
  }
  const supergraph = join(dir, 'supergraph.graphql');
  writeFileSync(supergraph, sdl);
  let service: ServiceProcess;
  try {
    // Production mode, as deployed: no stack traces in error extensions.
    service = await startServiceProcess('bench/gateways/apollo-gateway.ts', { BENCH_SUPERGRAPH: supergraph, NODE_ENV: 'production' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: service.url,
    async close() {
      await service.stop('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
