import { composeServices } from '@apollo/composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { Fetcher } from '@apollo/utils.fetcher';
import { parse } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { disableApolloTelemetry } from '../../lib/config/env.ts';
import { createLogger } from '../../lib/observability/logger.ts';
import { GatewayMetrics } from '../observability/gateway-metrics.ts';
import { abortable, ResilientDataSource } from './resilient-data-source.ts';
import { SubgraphBreakers } from './subgraph-breakers.ts';
import { type FaultProxy, startFaultProxy } from '../../test/support/fault-proxy.ts';

// Two small subgraphs over real HTTP, each behind a hop that fails on command, composed and planned
// by @apollo/gateway exactly as the real ones are: `alpha` owns Item and a mutation, `beta` adds Item.name.
const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const ALPHA = parse(`${FEDERATION}
  type Query { alpha: String items: [Item!]! }
  type Mutation { bump: Int! }
  type Item @key(fields: "id") { id: ID! }`);
const BETA = parse(`${FEDERATION}
  type Query { beta: String }
  type Item @key(fields: "id") { id: ID! name: String }`);

let bumps = 0;
const subgraphs: { stop(): Promise<void> }[] = [];
const proxies: Record<'alpha' | 'beta', FaultProxy> = {} as never;

async function serve(typeDefs: ReturnType<typeof parse>, resolvers: Record<string, any>): Promise<string> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema([{ typeDefs, resolvers }]),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  subgraphs.push(server);
  return url;
}

beforeAll(async () => {
  const alpha = await serve(ALPHA, {
    Query: { alpha: () => 'a', items: () => [{ id: '1' }, { id: '2' }] },
    Mutation: { bump: () => (bumps += 1) },
  });
  const beta = await serve(BETA, {
    Query: { beta: () => 'b' },
    Item: { __resolveReference: ({ id }: { id: string }) => ({ id, name: `item ${id}` }) },
  });
  proxies.alpha = await startFaultProxy(alpha);
  proxies.beta = await startFaultProxy(beta);
});
afterAll(async () => {
  await Promise.all(Object.values(proxies).map((proxy) => proxy.close()));
  await Promise.all(subgraphs.map((server) => server.stop()));
});

const gateways: ApolloServer[] = [];
afterEach(async () => {
  for (const proxy of Object.values(proxies)) {
    proxy.fault = { kind: 'pass' };
    proxy.bodies.length = 0;
  }
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
});

interface Settings {
  /** Per subgraph; 2 s where not given. */
  timeoutMs?: Partial<Record<'alpha' | 'beta', number>>;
  retries?: number;
  breakerFailures?: number;
  breakerOpenMs?: number;
}

/** A gateway over the two hops, with the policy under test; `run` answers like a client sees it. */
async function gatewayWith(settings: Settings = {}) {
  const log = createLogger('test', 'silent');
  const breakers = new SubgraphBreakers(
    { failureThreshold: settings.breakerFailures ?? 100, openMs: settings.breakerOpenMs ?? 1_000 },
    log,
  );
  const metrics = new GatewayMetrics(() => breakers.all());
  const composed = composeServices([
    { name: 'alpha', typeDefs: ALPHA, url: proxies.alpha.url },
    { name: 'beta', typeDefs: BETA, url: proxies.beta.url },
  ]);
  if (composed.errors) throw new Error(composed.errors.map(String).join('\n'));
  disableApolloTelemetry();
  const gateway = new ApolloGateway({
    supergraphSdl: composed.supergraphSdl,
    buildService: ({ name, url }) =>
      new ResilientDataSource(name, new RemoteGraphQLDataSource({ url, fetcher: abortable(fetch as unknown as Fetcher) }), {
        timeoutMs: settings.timeoutMs?.[name as 'alpha' | 'beta'] ?? 2_000,
        retries: settings.retries ?? 2,
        breaker: breakers.for(name),
        metrics,
        log,
      }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  gateways.push(server);
  return {
    async run(query: string) {
      const started = performance.now();
      const response = await server.executeOperation({ query });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      return { data: data as Record<string, any> | null | undefined, errors: errors ?? [], ms: performance.now() - started };
    },
    breakerState: async (name: string) =>
      (await metrics.exposition())
        .split('\n')
        .find((line) => line.startsWith(`liaison_gateway_subgraph_breaker_state{subgraph="${name}"`) && line.endsWith(' 1'))
        ?.match(/state="(\w+)"/)?.[1],
    metric: async (name: string, labels: string) =>
      Number(
        (await metrics.exposition())
          .split('\n')
          .find((line) => line.startsWith(`${name}{${labels}}`))
          ?.split(' ')[1] ?? 0,
      ),
  };
}

const unavailable = (subgraph: string, reason: string, path?: (string | number)[]) =>
  expect.objectContaining({
    ...(path ? { path } : {}),
    extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', subgraph, reason, serviceName: subgraph }),
  });

describe('a slow or dead subgraph', () => {
  it('costs at most its time budget: the rest of the answer stands and its fields are null with an error naming it', async () => {
    const gateway = await gatewayWith({ timeoutMs: { beta: 300 } });
    await gateway.run('{ alpha beta }'); // plans it, so the timing below is the fetch's alone
    proxies.beta.fault = { kind: 'hang' };
    const { data, errors, ms } = await gateway.run('{ alpha beta }');
    expect(data).toEqual({ alpha: 'a', beta: null });
    expect(errors).toEqual([unavailable('beta', 'timeout', ['beta'])]);
    expect(errors[0]!.message).toContain('beta');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(2_000);
  });

  it('leaves the entities it would have completed without its fields, an error at each entity', async () => {
    const gateway = await gatewayWith({ retries: 0 });
    proxies.beta.fault = { kind: 'reset' };
    const { data, errors } = await gateway.run('{ items { id name } }');
    expect(data).toEqual({
      items: [
        { id: '1', name: null },
        { id: '2', name: null },
      ],
    });
    expect(errors).toEqual([unavailable('beta', 'unreachable', ['items', 0]), unavailable('beta', 'unreachable', ['items', 1])]);
  });

  it('answers as before once it answers again', async () => {
    const gateway = await gatewayWith({ retries: 0 });
    proxies.beta.fault = { kind: 'status', status: 502 };
    expect((await gateway.run('{ beta }')).errors).toEqual([unavailable('beta', 'bad_status', ['beta'])]);
    proxies.beta.fault = { kind: 'pass' };
    expect(await gateway.run('{ alpha beta }')).toMatchObject({ data: { alpha: 'a', beta: 'b' }, errors: [] });
  });
});

describe('retries', () => {
  it('sends a failed read again, after a jittered pause, until it is served', async () => {
    const gateway = await gatewayWith({ retries: 2 });
    proxies.beta.plan({ kind: 'status', status: 503 }, { kind: 'reset' });
    expect(await gateway.run('{ beta }')).toMatchObject({ data: { beta: 'b' }, errors: [] });
    expect(proxies.beta.bodies).toHaveLength(3);
    expect(await gateway.metric('liaison_gateway_subgraph_retries_total', 'subgraph="beta"')).toBe(2);
  });

  it('gives up after SUBGRAPH_RETRIES retries', async () => {
    const gateway = await gatewayWith({ retries: 2 });
    proxies.beta.fault = { kind: 'status', status: 503 };
    expect((await gateway.run('{ alpha beta }')).errors).toEqual([unavailable('beta', 'bad_status', ['beta'])]);
    expect(proxies.beta.bodies).toHaveLength(3);
  });

  it('never sends a mutation twice, even when its answer was lost after it was applied', async () => {
    const gateway = await gatewayWith({ retries: 2 });
    const before = bumps;
    proxies.alpha.plan({ kind: 'drop' });
    const { data, errors } = await gateway.run('mutation { bump }');
    expect(data).toBeNull();
    expect(errors).toEqual([unavailable('alpha', 'unreachable', ['bump'])]);
    expect(errors[0]!.message).toContain('the mutation may have been applied');
    expect(proxies.alpha.bodies).toHaveLength(1);
    expect(bumps).toBe(before + 1);

    // The same lost answer on a read is retried: only the mutation was spared.
    proxies.alpha.plan({ kind: 'drop' });
    expect(await gateway.run('{ alpha }')).toMatchObject({ data: { alpha: 'a' }, errors: [] });
    expect(proxies.alpha.bodies).toHaveLength(3);
  });

  it('does not retry a read that timed out: the budget is spent', async () => {
    const gateway = await gatewayWith({ timeoutMs: { beta: 200 }, retries: 2 });
    proxies.beta.fault = { kind: 'hang' };
    expect((await gateway.run('{ beta }')).errors).toEqual([unavailable('beta', 'timeout', ['beta'])]);
    expect(proxies.beta.bodies).toHaveLength(1);
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, fails fast while open, lets one trial through when half-open, and closes when it succeeds', async () => {
    const gateway = await gatewayWith({ retries: 0, breakerFailures: 3, breakerOpenMs: 1_000 });
    proxies.beta.fault = { kind: 'status', status: 503 };
    for (let i = 0; i < 3; i += 1) expect((await gateway.run('{ beta }')).errors).toEqual([unavailable('beta', 'bad_status')]);
    expect(await gateway.breakerState('beta')).toBe('open');

    const fast = await gateway.run('{ alpha beta }');
    expect(fast.data).toEqual({ alpha: 'a', beta: null });
    expect(fast.errors).toEqual([unavailable('beta', 'circuit_open', ['beta'])]);
    expect(proxies.beta.bodies).toHaveLength(3);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await gateway.breakerState('beta')).toBe('half_open');
    const [trial, other] = await Promise.all([gateway.run('{ beta }'), gateway.run('{ beta }')]);
    expect([trial.errors[0]?.extensions?.reason, other.errors[0]?.extensions?.reason].sort()).toEqual(['bad_status', 'circuit_open']);
    expect(proxies.beta.bodies).toHaveLength(4);
    expect(await gateway.breakerState('beta')).toBe('open');

    proxies.beta.fault = { kind: 'pass' };
    expect((await gateway.run('{ beta }')).errors).toEqual([unavailable('beta', 'circuit_open', ['beta'])]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await gateway.run('{ beta }')).toMatchObject({ data: { beta: 'b' }, errors: [] });
    expect(await gateway.breakerState('beta')).toBe('closed');
    expect(await gateway.run('{ alpha beta }')).toMatchObject({ data: { alpha: 'a', beta: 'b' }, errors: [] });
    expect(await gateway.metric('liaison_gateway_subgraph_errors_total', 'subgraph="beta",reason="circuit_open"')).toBe(3);
  });

  it('keeps a subgraph that answers with errors closed: only failures to answer count', async () => {
    const gateway = await gatewayWith({ retries: 0, breakerFailures: 1 });
    proxies.beta.fault = { kind: 'status', status: 400 };
    await gateway.run('{ beta }');
    expect(await gateway.breakerState('beta')).toBe('closed');
  });
});
