import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/env.ts';
import { memoryLog } from '../../../test/support/memory-log.ts';
import { deleteKeys, uniquePrefix } from '../../../test/support/redis-keys.ts';
import { testConfig } from '../../../test/support/test-config.ts';
import { type CacheKey, newCacheKeyJwk, readCacheKey } from './cache-key.ts';
import { openLookupCache } from './open-cache.ts';

const PREFIX = uniquePrefix();
const redis = new Redis(testConfig.TEST_REDIS_URL);
afterAll(async () => {
  redis.disconnect();
  await deleteKeys(PREFIX);
});

const ROW = { id: 'W000000042', familyName: 'Okonkwo-Delacroix', bornOn: new Date('1979-02-03T00:00:00.000Z') };
const keyOf = (kid: string): CacheKey => ({ kid, secret: randomBytes(32) });

/** A fetch that counts how often the database would have been asked. */
function source() {
  let calls = 0;
  return {
    calls: () => calls,
    fetch: (misses: string[]) => {
      calls += 1;
      return Promise.resolve(misses.includes(ROW.id) ? [structuredClone(ROW)] : []);
    },
  };
}

const open = (key: CacheKey, log = memoryLog().log) =>
  openLookupCache('unit', '1', { redisUrl: testConfig.TEST_REDIS_URL, prefix: PREFIX, key }, log);

describe('sealed lookup cache entries on Redis', () => {
  it('misses every entry written under a rotated key, and hits again under the old one', async () => {
    const [first, second] = [keyOf('cache-2026-01'), keyOf('cache-2026-02')];
    const db = source();
    const before = await open(first);
    await before.load('Person', [ROW.id, 'W000000000'], db.fetch, (row) => row.id);
    const rotated = await open(second);
    expect(rotated.keyOf('Person', ROW.id)).not.toBe(before.keyOf('Person', ROW.id));
    expect(await rotated.load('Person', [ROW.id, 'W000000000'], db.fetch, (row) => row.id)).toEqual([ROW]);
    expect(db.calls()).toBe(2);
    expect(await before.load('Person', [ROW.id, 'W000000000'], db.fetch, (row) => row.id)).toEqual([ROW]);
    expect(db.calls()).toBe(2);
    await Promise.all([before.close(), rotated.close()]);
  });

  it('serves a value that does not open as a miss, warning once and without the key, value or record', async () => {
    const kid = 'cache-replaced';
    const db = source();
    const original = await open(keyOf(kid));
    await original.load('Person', [ROW.id, 'W000000000'], db.fetch, (row) => row.id);
    // The same key id on another secret (a key file replaced without a new kid): nothing opens.
    const logs = memoryLog();
    const replaced = await open(keyOf(kid), logs.log);
    expect(replaced.keyOf('Person', ROW.id)).not.toBe(original.keyOf('Person', ROW.id));
    await redis.set(replaced.keyOf('Person', ROW.id), (await redis.get(original.keyOf('Person', ROW.id)))!);
    await redis.set(replaced.keyOf('Person', 'W000000000'), (await redis.get(original.keyOf('Person', 'W000000000')))!);
    expect(await replaced.load('Person', [ROW.id, 'W000000000'], db.fetch, (row) => row.id)).toEqual([ROW]);
    expect(db.calls()).toBe(2);
    const warnings = logs.entries().filter((entry) => entry.level === 40);
    expect(warnings).toHaveLength(1);
    const text = JSON.stringify(warnings);
    for (const secret of [ROW.id, ROW.familyName, 'W000000000', replaced.keyOf('Person', ROW.id).split(':').at(-1)!])
      expect(text).not.toContain(secret);
    expect(await replaced.load('Person', [ROW.id], db.fetch, (row) => row.id)).toEqual([ROW]);
    expect(db.calls()).toBe(2);
    await Promise.all([original.close(), replaced.close()]);
  });
});

describe('CACHE_KEY_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-cache-key-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('reads an AES-256 JWK, and refuses a short key, a bad kid or a file that is not JSON', () => {
    const jwk = newCacheKeyJwk('cache-2026-01');
    const key = readCacheKey(file('good.json', jwk), true);
    expect(key.kid).toBe('cache-2026-01');
    expect(key.secret).toEqual(Buffer.from(jwk.k, 'base64url'));
    expect(() => readCacheKey(file('short.json', { ...jwk, k: randomBytes(16).toString('base64url') }), false)).toThrow(/32 bytes/);
    expect(() => readCacheKey(file('kid.json', { ...jwk, kid: 'a:b' }), false)).toThrow(/kid/);
    expect(() => readCacheKey(file('text.json', 'not json'), false)).toThrow(ConfigError);
    expect(() => readCacheKey(join(dir, 'absent.json'), false)).toThrow(/cannot read/);
  });

  it('is required in production, which refuses a development key; development generates one and keeps it', () => {
    expect(() => readCacheKey(undefined, true)).toThrow(/required in production/);
    expect(() => readCacheKey(file('dev.json', newCacheKeyJwk('dev-lookup-cache-1')), true)).toThrow(/development key/);
    const generated = readCacheKey(undefined, false);
    expect(generated.kid).toMatch(/^dev-lookup-cache-[0-9a-f]{8}$/);
    expect(readCacheKey(undefined, false)).toEqual(generated);
  });
});
