import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// The gateway serves partners on one port and operators on another (OPS_PORT): metrics never leave
// through the partners' port; probes may use either.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
}, 120_000);
afterAll(() => stack?.close());

const get = async (url: string | URL) => {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};
const ALL_UP = Object.fromEntries(readSupergraphConfig().map((entry) => [entry.name, 'up']));

describe('the operational port', () => {
  it('serves /metrics in the Prometheus text format, counting the partners’ requests', async () => {
    const answer = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer()) },
      body: JSON.stringify({ query: '{ wantedPerson(id: "W000000001") { id } }' }),
    });
    expect(answer.status).toBe(200);
    const metrics = await get(new URL('/metrics', stack.gatewayOperationsUrl));
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain('# TYPE liaison_gateway_requests_total counter');
    expect(metrics.text).toMatch(/^liaison_gateway_requests_total\{status="200",outcome="ok"\} [1-9]/m);
  });

  it('answers the shell’s JSON 404 for /metrics on the partners’ port', async () => {
    for (const path of ['/metrics', '/metrics?format=text']) {
      expect(await get(new URL(path, stack.gatewayUrl))).toEqual({
        status: 404,
        type: 'application/json',
        text: JSON.stringify({ error: 'not found' }),
      });
    }
  });

  it('answers /ready and /health for probes, as the partners’ port still does', async () => {
    for (const origin of [stack.gatewayOperationsUrl, stack.gatewayUrl]) {
      const ready = await get(new URL('/ready', origin));
      expect({ status: ready.status, body: JSON.parse(ready.text) }).toEqual({
        status: 200,
        body: { status: 'ready', supergraph: 'loaded', subgraphs: ALL_UP },
      });
      expect(await get(new URL('/health', origin))).toMatchObject({ status: 200, text: JSON.stringify({ status: 'ok' }) });
    }
  });

  it('serves nothing of the partners’ there: /graphql and the explorer are 404', async () => {
    for (const path of ['/graphql', '/']) {
      expect((await get(new URL(path, stack.gatewayOperationsUrl))).status).toBe(404);
    }
  });

  it('reports draining while the partners’ port drains, then closes with the gateway', async () => {
    const hop = await startFaultProxy(stack.subgraphUrls['wanted-persons']!);
    try {
      const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]]));
      const gateway = await buildGateway(
        loadGatewayConfig({ ...routes, WANTED_PERSONS_URL: hop.url, LOG_LEVEL: 'silent' }),
        createLogger('test', 'silent'),
      );
      const url = await gateway.listen(0, '127.0.0.1');
      const operations = await gateway.operations.listen(0, '127.0.0.1');
      expect(new URL(operations).port).not.toBe(new URL(url).port);
      expect((await get(new URL('/metrics', operations))).status).toBe(200);

      hop.fault = { kind: 'delay', ms: 1_500 };
      const inFlight = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await bearer()) },
        body: JSON.stringify({ query: '{ wantedPerson(id: "W000000001") { id } }' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const closed = gateway.close();
      const ready = await get(new URL('/ready', operations));
      expect({ status: ready.status, body: JSON.parse(ready.text) }).toMatchObject({ status: 503, body: { status: 'draining' } });
      expect((await inFlight).status).toBe(200);
      await closed;

      expect(gateway.operations.http.listening).toBe(false);
      await expect(fetch(new URL('/metrics', operations))).rejects.toThrow();
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      await hop.close();
    }
  });
});
