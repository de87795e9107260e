import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personId, propertyId } from '../subgraphs/kit/seed/seed-plan.ts';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.ts';
import { type Stack, startStack } from './support/stack.ts';
import { type LoadRequest, type Sample, sleep, steadyLoad } from './support/steady-load.ts';
import { bearer } from './support/tokens.ts';

// The lookup caches and the gateway's persisted queries use a redis-server of this test's own, which
// it kills (SIGKILL, as a crash) and starts again; the machine's Redis is shared and never touched.
let redis: PrivateRedis;
let stack: Stack;
beforeAll(async () => {
  redis = await startPrivateRedis();
  stack = await startStack('postgres', { redis: { url: redis.url, retryAfterMs: 300 }, gatewayEnv: { REDIS_URL: redis.url } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await redis?.kill();
});

const PERSON = 'query Person($id: ID!) { wantedPerson(id: $id) { id status } }';
const ITEM = 'query Item($id: ID!) { propertyItem(id: $id) { id status } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** `liaison_cache_*` sample of one subgraph, summed over its entities. */
async function cacheMetric(subgraph: string, name: string): Promise<number> {
  const text = await (await fetch(stack.subgraphUrls[subgraph]!.replace('/graphql', '/metrics'))).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.split(' ')[1]), 0);
}

describe('Redis killed under load', () => {
  it('fails no request while it is down, and caching resumes once it is back', async () => {
    const headers = await bearer();
    const requests: LoadRequest[] = [
      ...[1, 2, 3, 4, 5].map((n) => ({ kind: `person ${personId(n)}`, query: PERSON, variables: { id: personId(n) }, headers })),
      ...[1, 2, 3].map((n) => ({ kind: `item ${propertyId(n)}`, query: ITEM, variables: { id: propertyId(n) }, headers })),
      // Automatic persisted query, registered with its text each time: the gateway stores it in Redis.
      {
        kind: `person ${personId(6)}`,
        query: PERSON,
        variables: { id: personId(6) },
        headers,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(PERSON) } },
      },
    ];
    const answered = (sample: Sample) => {
      const [, id] = sample.kind.split(' ');
      const data = sample.body?.data;
      return sample.status === 200 && !sample.body?.errors && (data?.wantedPerson ?? data?.propertyItem)?.id === id;
    };
    await steadyLoad(stack.gatewayUrl, requests, 4).stop();
    const load = steadyLoad(stack.gatewayUrl, requests, 4);
    await sleep(1_500);
    const hitsBefore = await cacheMetric('wanted-persons', 'liaison_cache_hits_total');
    expect(hitsBefore).toBeGreaterThan(0);
    const killedAt = load.now();
    await redis.kill();
    await sleep(2_500);
    const restartedAt = load.now();
    await redis.restart();
    await sleep(2_000);

    // Caching resumes by itself: the breaker closes and lookups hit the (refilled) cache again.
    const hitsAtRestart = await cacheMetric('wanted-persons', 'liaison_cache_hits_total');
    const deadline = Date.now() + 10_000;
    let resumed = false;
    while (!resumed && Date.now() < deadline) {
      resumed =
        (await cacheMetric('wanted-persons', 'liaison_cache_breaker_open')) === 0 &&
        (await cacheMetric('wanted-persons', 'liaison_cache_hits_total')) > hitsAtRestart;
      if (!resumed) await sleep(200);
    }
    await load.stop();
    expect(resumed).toBe(true);

    const { samples } = load;
    const down = samples.filter((sample) => sample.at > killedAt && sample.at < restartedAt);
    expect(down.length).toBeGreaterThan(20);
    expect(samples.length).toBeGreaterThan(down.length);
    expect(samples.filter((sample) => !answered(sample))).toEqual([]);
    expect(await cacheMetric('wanted-persons', 'liaison_cache_errors_total')).toBeGreaterThan(0);
  }, 90_000);
});
