import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { openLookupCache } from '../subgraphs/kit/cache/open-cache.ts';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.ts';

// docker-compose's Redis runs with docker/redis-users.acl: here a redis-server of the test's own runs
// with that very file, and each service connects with the URL compose gives it.

const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const aclFile = resolve(ROOT, 'docker/redis-users.acl');
let server: PrivateRedis;
const clients: Redis[] = [];
beforeAll(async () => {
  server = await startPrivateRedis(undefined, ['--aclfile', aclFile]);
});
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.kill();
});

/** A service's REDIS_URL from compose, pointed at the test's server. */
const urlOf = (service: string): string => {
  const url = new URL(compose.services[service].environment.REDIS_URL);
  url.host = `127.0.0.1:${server.port}`;
  return url.toString();
};
const client = (url: string) => {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
};
const refused = (command: Promise<unknown>) => expect(command).rejects.toThrow(/NOPERM|NOAUTH|WRONGPASS/);

describe('the Redis ACL of docker-compose', () => {
  it('refuses clients without a user', async () => {
    await refused(client(server.url).get('liaison:wanted-persons:x'));
  });

  for (const subgraph of readSupergraphConfig()) {
    it(`lets ${subgraph.name} cache and invalidate under its own prefix, and nothing else`, async () => {
      const url = urlOf(subgraph.name);
      const cache = await openLookupCache(subgraph.name, '1', { redisUrl: url }, createLogger('test', 'silent'));
      try {
        let fetches = 0;
        const fetch = (misses: string[]) => Promise.resolve(misses.map((id) => ({ id, fetches: ++fetches })));
        await cache.load('Row', ['A', 'B'], fetch, (row) => row.id);
        expect(await cache.load('Row', ['A', 'B'], fetch, (row) => row.id)).toHaveLength(2);
        expect(fetches).toBe(2);
        await cache.invalidate('Row', ['A']);
        await cache.load('Row', ['A'], fetch, (row) => row.id);
        expect(fetches).toBe(3);
        expect(await cache.metrics.exposition()).toContain(`liaison_cache_errors_total{subgraph="${subgraph.name}"} 0`);
      } finally {
        await cache.close();
      }
      const redis = client(url);
      const other = readSupergraphConfig().find((peer) => peer.name !== subgraph.name)!.name;
      await refused(redis.get(`liaison:${other}:Row:v1:x`));
      await refused(redis.get('liaison:gateway:apq:x'));
      await refused(redis.publish(`liaison:${other}:invalidate`, '[]'));
      for (const command of [
        redis.keys('*'),
        redis.scan('0'),
        redis.flushall(),
        redis.config('GET', '*'),
        redis.hgetall(`liaison:${subgraph.name}:x`),
      ])
        await refused(command);
    });
  }

  it('lets the gateway use persisted queries, trusted documents and rate-limit scripts under liaison:gateway:', async () => {
    const redis = client(urlOf('gateway'));
    expect(await redis.set('liaison:gateway:apq:x', 'query', 'EX', 10)).toBe('OK');
    expect(await redis.get('liaison:gateway:apq:x')).toBe('query');
    await redis.hset('liaison:gateway:trusted-documents:FRPN00001', { doc: '{}' });
    expect(await redis.hgetall('liaison:gateway:trusted-documents:FRPN00001')).toEqual({ doc: '{}' });
    const script = `redis.call('TIME'); redis.call('HMGET', KEYS[1], 'tokens'); redis.call('HSET', KEYS[1], 'tokens', 1); return redis.call('PEXPIRE', KEYS[1], 1000)`;
    expect(await redis.eval(script, 1, 'liaison:gateway:rate:{FRPN00001}:agency')).toBe(1);
    await redis.del('liaison:gateway:apq:x', 'liaison:gateway:trusted-documents:FRPN00001', 'liaison:gateway:rate:{FRPN00001}:agency');
    await refused(redis.get('liaison:wanted-persons:x'));
    await refused(redis.eval(script, 1, 'liaison:wanted-persons:x'));
    await refused(redis.flushall());
  });

  it('answers the compose health check, whose user may only ping', async () => {
    const [command, ...args] = compose.services.redis.healthcheck.test.slice(1) as string[];
    const { stdout } = await promisify(execFile)(command!, ['-p', String(server.port), ...args]);
    expect(stdout.trim()).toBe('PONG');
    const pass = args[args.indexOf('--pass') + 1]!;
    await refused(client(`redis://healthcheck:${pass}@127.0.0.1:${server.port}`).get('liaison:gateway:x'));
  });
});
