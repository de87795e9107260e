import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy.ts';
import { type ServiceProcess, startServiceProcess } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// The subgraphs run in this process; the gateway runs as its own process, as deployed, and reaches
// wanted-persons through a hop that makes it slow on command, so a request is in flight at SIGTERM.
let stack: Stack;
let hop: FaultProxy;
const gateways: ServiceProcess[] = [];
beforeAll(async () => {
  stack = await startStack('pglite');
  hop = await startFaultProxy(stack.subgraphUrls['wanted-persons']!);
}, 120_000);
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop('SIGKILL')));
  await hop?.close();
  await stack?.close();
});

async function startGateway(env: Record<string, string> = {}): Promise<ServiceProcess> {
  const gateway = await startServiceProcess('gateway/index.ts', {
    WANTED_PERSONS_URL: hop.url,
    STOLEN_PROPERTY_URL: stack.subgraphUrls['stolen-property'],
    CASE_STATUS_URL: stack.subgraphUrls['case-status'],
    ...env,
  });
  gateways.push(gateway);
  hop.fault = { kind: 'pass' };
  // Warm: the first request pays for query planning, which this test is not about.
  await ask(gateway.url, 'warm-up');
  return gateway;
}

async function ask(url: string, requestId: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(await bearer()) },
    body: JSON.stringify({ query: `{ wantedPerson(id: "${personId(1)}") { id status } }` }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } };
}

const logLines = (gateway: ServiceProcess) =>
  gateway
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    // In the order they were logged: under load the stream has been seen to hand over two lines written
    // milliseconds apart the other way round, and what matters is what the process did when.
    .sort((a, b) => Number(a.time) - Number(b.time));

describe('SIGTERM', () => {
  it('stops accepting, lets the request in flight finish with its full answer, then exits 0', async () => {
    const gateway = await startGateway();
    hop.fault = { kind: 'delay', ms: 1_500 };
    const inFlight = ask(gateway.url, 'drain-in-flight');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = gateway.stop('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(new URL('/health', gateway.url))).rejects.toThrow();

    const answer = await inFlight;
    expect(answer).toEqual({ status: 200, body: { data: { wantedPerson: { id: personId(1), status: expect.any(String) } } } });
    expect(await exited).toBe(0);
    const lines = logLines(gateway);
    const messages = lines.map((line) => line.msg);
    expect(messages.indexOf('stopping: draining in-flight requests')).toBeLessThan(messages.lastIndexOf('graphql request'));
    expect(lines.find((line) => line.requestId === 'drain-in-flight')).toMatchObject({
      msg: 'graphql request',
      status: 200,
      outcome: 'ok',
    });
    expect(messages.at(-1)).toBe('stopped');
  }, 120_000);

  it('cuts a request still running at SHUTDOWN_TIMEOUT_MS and exits anyway', async () => {
    const gateway = await startGateway({ SHUTDOWN_TIMEOUT_MS: '500' });
    hop.fault = { kind: 'hang' };
    const stuck = ask(gateway.url, 'drain-stuck').catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    expect(await gateway.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await stuck).toBeInstanceOf(Error);
    expect(logLines(gateway).find((line) => line.msg === 'requests still running at the shutdown bound were cut')).toMatchObject({
      cut: 1,
      shutdownTimeoutMs: 500,
    });
  }, 120_000);
});
