import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { testConfig } from './support/test-config.ts';
import { bearer } from './support/tokens.ts';

// The subgraphs reach the shared Redis through a proxy this test cuts: the server itself never stops.
let proxy: TcpProxy;
let stack: Stack;
beforeAll(async () => {
  proxy = await startTcpProxy(testConfig.TEST_REDIS_URL);
  stack = await startStack('postgres', { redis: { url: `redis://127.0.0.1:${proxy.port}`, retryAfterMs: 300 } });
});
afterAll(async () => {
  await stack?.close();
  await proxy?.close();
});

const ask = async (id: string) => graphql(stack.gatewayUrl, 'query($id: ID!) { wantedPerson(id: $id) { id } }', { id }, await bearer());

/** One sample of the wanted-persons subgraph's /metrics; `labels` completes the series' label set. */
async function metric(name: string, labels = ',entity="WantedPerson"'): Promise<number> {
  const text = await (await fetch(stack.subgraphUrls['wanted-persons']!.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name}{subgraph="wanted-persons"${labels}}`));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('Redis outage', () => {
  it('answers every request from the database while Redis is cut off, and caches again once it is back', async () => {
    const id = personId(1);
    await ask(id);
    const warmHits = await metric('liaison_cache_hits_total');
    expect((await ask(id)).data?.wantedPerson?.id).toBe(id);
    expect(await metric('liaison_cache_hits_total')).toBe(warmHits + 1);

    proxy.cut();
    const ids = Array.from({ length: 20 }, (_, i) => personId(1 + (i % 5)));
    const answers = await Promise.all(ids.map((each) => ask(each)));
    expect(answers.map((answer) => answer.errors)).toEqual(ids.map(() => undefined));
    expect(answers.map((answer) => answer.data?.wantedPerson?.id)).toEqual(ids);
    expect(await metric('liaison_cache_breaker_open', '')).toBe(1);
    expect(await metric('liaison_cache_errors_total', '')).toBeGreaterThan(0);

    proxy.restore();
    const hitsBefore = await metric('liaison_cache_hits_total');
    const deadline = Date.now() + 15_000;
    let resumed = false;
    while (!resumed && Date.now() < deadline) {
      expect((await ask(id)).data?.wantedPerson?.id).toBe(id);
      resumed = (await metric('liaison_cache_breaker_open', '')) === 0 && (await metric('liaison_cache_hits_total')) > hitsBefore;
      if (!resumed) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(resumed).toBe(true);
  });
});
