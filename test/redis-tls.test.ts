import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { makeTestCertificates, type TestCertificates } from './support/test-certificates.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../lib/observability/logger.ts';
import { openLookupCache } from '../subgraphs/kit/cache/open-cache.ts';
import { cacheOptionsOf, subgraphConfigSchema } from '../subgraphs/kit/server/subgraph-config.ts';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.ts';
import { uniquePrefix } from './support/redis-keys.ts';

const has = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' }).status === 0;
/** A redis-server built without TLS rejects the directive itself; one with TLS fails on the missing files. */
const redisHasTls = (): boolean => {
  const probe = spawnSync(
    'redis-server',
    ['--port', '0', '--tls-port', '1', '--tls-cert-file', '/nonexistent', '--tls-key-file', '/nonexistent'],
    {
      encoding: 'utf8',
      timeout: 5_000,
    },
  );
  return !/Bad directive|wrong number of arguments/i.test(`${probe.stdout}${probe.stderr}`);
};
const missing = !has('openssl', ['version'])
  ? 'openssl is not installed'
  : !has('redis-server', ['--version'])
    ? 'redis-server is not installed'
    : !redisHasTls()
      ? 'this redis-server was built without TLS support'
      : undefined;
if (missing) console.warn(`skipping the Redis TLS test: ${missing}`);

let certificates: TestCertificates | undefined;
const path = (name: string) => certificates!.path(name);

let server: PrivateRedis;
beforeAll(async () => {
  if (missing) return;
  certificates = makeTestCertificates('redis-tls', 'IP:127.0.0.1');
  // TLS only: the plain port is off, so a cache that reached it at all did so over TLS.
  server = await startPrivateRedis((port) => [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    path('server.crt'),
    '--tls-key-file',
    path('server.key'),
    '--tls-ca-cert-file',
    path('ca.crt'),
    '--tls-auth-clients',
    'no',
  ]);
});
afterAll(async () => {
  await server?.kill();
  certificates?.remove();
});

const log = createLogger('test', 'silent');
const options = (env: Record<string, string>) => cacheOptionsOf(subgraphConfigSchema(4001).parse(env));
const counting = () => {
  let fetches = 0;
  return { fetches: () => fetches, fetch: (misses: string[]) => Promise.resolve(misses.map((id) => ({ id, n: ++fetches }))) };
};

describe.skipIf(missing !== undefined)('the lookup cache over TLS (rediss:// and REDIS_CA_FILE)', () => {
  it('caches in a TLS-only Redis whose certificate chains to REDIS_CA_FILE', async () => {
    const prefix = uniquePrefix();
    const url = `rediss://127.0.0.1:${server.port}`;
    const cache = await openLookupCache('unit', '1', { ...options({ REDIS_URL: url, REDIS_CA_FILE: path('ca.crt') }), prefix }, log);
    const db = counting();
    try {
      await cache.load('Row', ['A', 'B'], db.fetch, (row) => row.id);
      expect(await cache.load('Row', ['A', 'B'], db.fetch, (row) => row.id)).toHaveLength(2);
      expect(db.fetches()).toBe(2);
    } finally {
      await cache.close();
    }
    const direct = new Redis(url, { tls: { ca: readFileSync(path('ca.crt')) } });
    try {
      expect((await direct.scan('0', 'MATCH', `${prefix}:*`, 'COUNT', 100))[1]).toHaveLength(2);
      await direct.del(cache.keyOf('Row', 'A'), cache.keyOf('Row', 'B'));
    } finally {
      direct.disconnect();
    }
  });

  it('refuses a server whose certificate another CA signed: every lookup goes to the database', async () => {
    const url = `rediss://127.0.0.1:${server.port}`;
    const cache = await openLookupCache(
      'unit',
      '1',
      { ...options({ REDIS_URL: url, REDIS_CA_FILE: path('other-ca.crt') }), prefix: uniquePrefix() },
      log,
    );
    const db = counting();
    try {
      await cache.load('Row', ['A'], db.fetch, (row) => row.id);
      await cache.load('Row', ['A'], db.fetch, (row) => row.id);
      expect(db.fetches()).toBe(2);
      expect(await cache.metrics.exposition()).not.toMatch(/liaison_cache_hits_total\{[^}]*\} [1-9]/);
    } finally {
      await cache.close();
    }
  });

  it('rejects REDIS_CA_FILE with a plain redis:// URL at start-up', async () => {
    await expect(
      openLookupCache('unit', '1', options({ REDIS_URL: `redis://127.0.0.1:${server.port}`, REDIS_CA_FILE: path('ca.crt') }), log),
    ).rejects.toThrow(/REDIS_CA_FILE: needs a rediss:\/\/ REDIS_URL/);
  });
});
