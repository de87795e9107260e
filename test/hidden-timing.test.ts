import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { ALL_SCOPES } from '../lib/authz/scopes.ts';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { graphql } from './support/graphql-client.ts';
import { identityHeaders } from './support/identity.ts';
import { mannWhitney } from './support/mann-whitney.ts';
import { deleteKeys, uniquePrefix } from './support/redis-keys.ts';
import { visibleSeeded } from './support/row-oracle.ts';
import { testConfig } from './support/test-config.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';

// A Spanish partner granted France only: most seeded persons are hidden from it.
const RESTRICTED: Caller = {
  principal: { subject: 'timing-probe', agency: 'ESPN00001', scopes: new Set(ALL_SCOPES), jurisdictions: ['FR'] },
  purpose: { code: 'INVESTIGATION', reference: 'TIMING-1' },
};
const MISSING = 'W999999999';
const QUERY = 'query($id: ID!) { wantedPerson(id: $id) { id familyName } }';
const SAMPLES = 200;
/**
 * Redis cannot fast-forward its clock, so before each sample the test ages the cache by this much:
 * every entry that would have expired within it is deleted. A sample then sees the cache as a
 * caller does who asks a minute after the previous lookup, which is when a shorter-lived "not found"
 * made a missing record slower than a hidden one.
 */
const AGE_SECONDS = 60;

const prefix = uniquePrefix();
const redis = new Redis(testConfig.TEST_REDIS_URL);
let subgraph: TestSubgraph;
beforeAll(async () => {
  subgraph = await startTestSubgraph(buildServer, 'postgres', 'hidden_timing', { cache: { redisUrl: testConfig.TEST_REDIS_URL, prefix } });
});
afterAll(async () => {
  await subgraph?.stop();
  redis.disconnect();
  await deleteKeys(prefix);
});

async function age(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    for (const key of keys) if ((await redis.ttl(key)) <= AGE_SECONDS) await redis.del(key);
    cursor = next;
  } while (cursor !== '0');
}

/** One timed lookup, its identity signed beforehand so only the subgraph's own work is measured. */
async function timed(id: string): Promise<number> {
  await age();
  const headers = await identityHeaders(RESTRICTED, 'wanted-persons');
  const started = performance.now();
  const response = await graphql(subgraph.url, QUERY, { id }, headers);
  const elapsed = performance.now() - started;
  expect(response.errors).toBeUndefined();
  expect(response.data!.wantedPerson).toBeNull();
  return elapsed;
}

describe('a hidden record and a missing one through the Redis lookup cache', () => {
  it('answer in times no rank test can tell apart, long after both were first looked up', async () => {
    const visible = new Set(visibleSeeded('person', { agency: 'ESPN00001', jurisdictions: ['FR'] }));
    const hidden = personId(Array.from({ length: 50 }, (_, i) => i + 1).find((index) => !visible.has(index))!);
    for (let i = 0; i < 20; i += 1) for (const id of [hidden, MISSING]) await timed(id);
    const times = { hidden: [] as number[], missing: [] as number[] };
    for (let i = 0; i < SAMPLES; i += 1) {
      // Interleaved, in a random order per pair, so drift in the machine's load hits both alike.
      const order = Math.random() < 0.5 ? (['hidden', 'missing'] as const) : (['missing', 'hidden'] as const);
      for (const kind of order) times[kind].push(await timed(kind === 'hidden' ? hidden : MISSING));
    }
    const { p, medians } = mannWhitney(times.hidden, times.missing);
    expect(p, `medians: hidden ${medians[0].toFixed(3)} ms, missing ${medians[1].toFixed(3)} ms`).toBeGreaterThan(0.001);
  });
});
