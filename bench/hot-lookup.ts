import { personId, SEED_COUNTS } from '../subgraphs/kit/seed-plan.ts';
import { type Stack, startStack } from '../test/support/stack.ts';
import { bearer } from '../test/support/tokens.ts';
import type { Row } from './auth-cost.ts';
import { type LoadResult, median, runLoad } from './load.ts';

const QUERY = 'query Hot($id: ID!) { wantedPerson(id: $id) { id noticeType } }';

/** Zipf(s = 1.1) over the demo persons: a few ids take most lookups, as hot records do. */
function zipfPicker(count: number): () => { query: string; variables: { id: string } } {
  const weights = Array.from({ length: count }, (_, k) => 1 / (k + 1) ** 1.1);
  const cumulative: number[] = [];
  weights.reduce((sum, weight, k) => (cumulative[k] = sum + weight), 0);
  const total = cumulative[count - 1]!;
  return () => {
    const target = Math.random() * total;
    const k = cumulative.findIndex((bound) => bound >= target);
    return { query: QUERY, variables: { id: personId(k + 1) } };
  };
}

/** Hits and misses of the WantedPerson lookup cache, from the subgraph's /metrics. */
async function cacheCounts(stack: Stack): Promise<{ hits: number; misses: number }> {
  const text = await (await fetch(stack.subgraphUrls['wanted-persons']!.replace('/graphql', '/metrics'))).text();
  const read = (name: string) => Number(text.split('\n').find((line) => line.startsWith(`${name}{subgraph="wanted-persons",entity="WantedPerson"}`))?.split(' ')[1] ?? 0);
  return { hits: read('liaison_cache_hits_total'), misses: read('liaison_cache_misses_total') };
}

/**
 * Hot lookups by id through the gateway, Zipf-distributed, with the Redis lookup cache against the
 * same stack without a cache (`uncached`, the stack the other scenarios use). The variant names carry
 * the hit rate the cached runs measured at /metrics.
 */
export async function hotLookupCost(uncached: Stack, connections: number, durationSeconds: number, rounds: number): Promise<Row[]> {
  const cached = await startStack('postgres', { redis: true });
  const headers = await bearer({ scopes: ['wanted:read'] });
  const pickBody = zipfPicker(SEED_COUNTS.demo.persons);
  const check = (response: { data?: any }) => response.data?.wantedPerson !== undefined;
  const body = pickBody();
  const results: Record<'on' | 'off', LoadResult[]> = { on: [], off: [] };
  try {
    const before = await cacheCounts(cached);
    for (let round = 0; round < rounds; round += 1) {
      results.on.push(await runLoad({ url: cached.gatewayUrl, body, pickBody, headers, connections, durationSeconds, check }));
      results.off.push(await runLoad({ url: uncached.gatewayUrl, body, pickBody, headers, connections, durationSeconds, check }));
    }
    const after = await cacheCounts(cached);
    const hits = after.hits - before.hits;
    const rate = ((100 * hits) / Math.max(1, hits + after.misses - before.misses)).toFixed(1);
    return [
      { scenario: 'hot lookup (Zipf ids)', variant: `Redis cache (hit rate ${rate}%)`, result: median(results.on) },
      { scenario: 'hot lookup (Zipf ids)', variant: 'no cache', result: median(results.off) },
    ];
  } finally {
    await cached.close();
  }
}
