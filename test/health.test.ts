import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { type Stack, startStack } from './support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
};

/** Every subgraph of the supergraph, up. */
const ALL_UP = Object.fromEntries(readSupergraphConfig().map((entry) => [entry.name, 'up']));

describe('/health and /ready', () => {
  it('/health stays 200 while the process is up; /ready stays 200 when a subgraph stops, naming it down in the body and the metrics', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    expect(await get(`${origin}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${origin}/ready`)).toEqual({
      status: 200,
      body: { status: 'ready', supergraph: 'loaded', subgraphs: ALL_UP },
    });
    for (const url of Object.values(stack.subgraphUrls)) {
      expect(await get(url.replace('/graphql', '/health'))).toEqual({ status: 200, body: { status: 'ok' } });
      expect(await get(url.replace('/graphql', '/ready'))).toEqual({ status: 200, body: { status: 'ready' } });
    }

    await stack.subgraphs['stolen-property']!.close();
    expect(await get(`${origin}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    // One agency's outage must not take the gateway (every replica of it) out of service: it answers around it.
    expect(await get(`${origin}/ready`)).toEqual({
      status: 200,
      body: {
        status: 'ready',
        supergraph: 'loaded',
        subgraphs: { ...ALL_UP, 'stolen-property': 'down' },
      },
    });
    const metrics = await (await fetch(new URL('/metrics', stack.gatewayOperationsUrl))).text();
    expect(metrics).toMatch(/^liaison_gateway_subgraph_up\{subgraph="stolen-property"\} 0$/m);
    expect(metrics).toMatch(/^liaison_gateway_subgraph_up\{subgraph="wanted-persons"\} 1$/m);
  });

  it('/ready answers within a probe’s default second while a subgraph hangs, ready, naming it down', async () => {
    const hop = await startFaultProxy(stack.subgraphUrls['wanted-persons']!);
    hop.fault = { kind: 'hang' };
    const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]]));
    const gateway = await buildGateway(
      loadGatewayConfig({ ...routes, WANTED_PERSONS_URL: hop.url, LOG_LEVEL: 'silent' }),
      createLogger('test', 'silent'),
    );
    try {
      const operations = await gateway.operations.listen(0, '127.0.0.1');
      const started = Date.now();
      const ready = await get(`${operations}/ready`);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(ready).toMatchObject({ status: 200, body: { status: 'ready', subgraphs: { 'wanted-persons': 'down' } } });
    } finally {
      await gateway.close();
      await hop.close();
    }
  });
});
