import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway, type BuiltGateway } from '../gateway/server.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { memoryLog } from './support/memory-log.ts';
import { type Stack, startStack } from './support/stack.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { testConfig } from './support/test-config.ts';
import { bearer } from './support/tokens.ts';

const LIMITS = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_SUBJECT_PER_SECOND: '0.5',
  RATE_LIMIT_SUBJECT_BURST: '3',
  RATE_LIMIT_AGENCY_PER_SECOND: '0.5',
  RATE_LIMIT_AGENCY_BURST: '5',
  RATE_LIMIT_ANONYMOUS_PER_SECOND: '0.5',
  RATE_LIMIT_ANONYMOUS_BURST: '2',
  // A loaded test machine must not turn a slow answer into a let-through.
  RATE_LIMIT_REDIS_TIMEOUT_MS: '3000',
};

let stack: Stack;
let replica: BuiltGateway;
let replicaUrl: string;
let routes: Record<string, string>;
beforeAll(async () => {
  stack = await startStack('pglite', { redis: true, gatewayEnv: LIMITS });
  routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
  replica = await buildGateway(
    loadGatewayConfig({
      ...routes,
      ...LIMITS,
      LOG_LEVEL: 'silent',
      REDIS_URL: testConfig.TEST_REDIS_URL,
      CACHE_KEY_PREFIX: stack.cachePrefix!,
    }),
    memoryLog().log,
  );
  replicaUrl = await replica.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await replica?.close();
  await stack?.close();
});

/** A partner of its own (fresh subject and agency), so each test starts with full buckets. */
const partner = (agency = `XX${randomBytes(4).toString('hex').toUpperCase().slice(0, 7)}`) => ({
  subject: `rate-${randomBytes(4).toString('hex')}`,
  agency,
});

async function ask(url: string, who: { subject: string; agency: string } | null) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(who ? await bearer(who) : {}) },
    body: JSON.stringify({ query: '{ wantedPerson(id: "W000000001") { id } }' }),
  });
  const body = (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ...body };
}

describe('rate limits per partner, shared by replicas', () => {
  it('a subject gets its burst, then 429 RATE_LIMITED with Retry-After on every replica, then recovers', async () => {
    const who = partner();
    for (let i = 0; i < 3; i += 1) expect((await ask(stack.gatewayUrl, who)).status).toBe(200);
    const limited = await ask(stack.gatewayUrl, who);
    expect(limited.status).toBe(429);
    expect(limited.retryAfter).toBe('2');
    expect(limited.data).toBeUndefined();
    expect(limited.errors?.[0]).toMatchObject({
      message: 'Rate limit exceeded for this partner; retry after 2 s',
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 2 },
    });
    expect((await ask(replicaUrl, who)).status).toBe(429);

    await sleep(Number(limited.retryAfter) * 1000);
    const recovered = await ask(replicaUrl, who);
    expect(recovered.status).toBe(200);
    expect(recovered.data?.wantedPerson?.id).toBe('W000000001');
  });

  it("an agency's subjects share the agency's bucket", async () => {
    const agency = partner().agency;
    const [first, second] = [partner(agency), partner(agency)];
    for (let i = 0; i < 3; i += 1) expect((await ask(stack.gatewayUrl, first)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) expect((await ask(replicaUrl, second)).status).toBe(200);
    const limited = await ask(stack.gatewayUrl, second);
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.message).toMatch(/^Rate limit exceeded for this agency/);
    // Another agency is unaffected.
    expect((await ask(stack.gatewayUrl, partner())).status).toBe(200);
  });

  it('requests without a token are limited per address', async () => {
    const own = await startStackGateway({ ...LIMITS }, testConfig.TEST_REDIS_URL);
    try {
      for (let i = 0; i < 2; i += 1) expect((await ask(own.url, null)).status).toBe(200);
      const limited = await ask(own.url, null);
      expect(limited.status).toBe(429);
      expect(limited.errors?.[0]?.message).toMatch(/^Rate limit exceeded for this address/);
    } finally {
      await own.close();
    }
  });
});

describe('Redis away: requests go through, a warning is logged, limits resume when it is back', () => {
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy(testConfig.TEST_REDIS_URL);
  });
  afterAll(() => proxy?.close());

  it('fails open, never failing a request, then limits again', async () => {
    const log = memoryLog();
    const own = await startStackGateway(LIMITS, `redis://127.0.0.1:${proxy.port}`, log.log);
    try {
      const before = partner();
      for (let i = 0; i < 3; i += 1) expect((await ask(own.url, before)).status).toBe(200);
      expect((await ask(own.url, before)).status).toBe(429);

      proxy.cut();
      const during = partner();
      const statuses = await Promise.all(Array.from({ length: 20 }, () => ask(own.url, during).then((response) => response.status)));
      expect(statuses.every((status) => status === 200)).toBe(true);
      const warnings = log.entries().filter((entry) => entry.msg?.startsWith('rate limiting bypassed'));
      expect(warnings).toHaveLength(1);
      expect(JSON.stringify(warnings)).not.toMatch(/rate-|Bearer/);

      proxy.restore();
      const after = partner();
      const deadline = Date.now() + 8_000;
      let limited = false;
      while (!limited && Date.now() < deadline) {
        limited = (await ask(own.url, after)).status === 429;
        if (!limited) await sleep(100);
      }
      expect(limited).toBe(true);
    } finally {
      await own.close();
    }
  });
});

/** One more gateway on the stack's subgraphs, with its own Redis URL and limits. */
async function startStackGateway(env: Record<string, string>, redisUrl: string, log = memoryLog().log) {
  const gateway = await buildGateway(
    loadGatewayConfig({
      ...routes,
      ...env,
      LOG_LEVEL: 'info',
      REDIS_URL: redisUrl,
      CACHE_KEY_PREFIX: `${stack.cachePrefix}-${randomBytes(3).toString('hex')}`,
    }),
    log,
  );
  const url = await gateway.listen(0, '127.0.0.1');
  return { url, close: () => gateway.close() };
}
