import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testConfig } from './test-config.ts';

/** A key prefix of its own for one test file: other programs share this Redis. */
export const uniquePrefix = (): string => `liaison-test-${randomBytes(5).toString('hex')}`;

/** Deletes the keys under `prefix` only, walking them with SCAN (never KEYS, never a flush). */
export async function deleteKeys(prefix: string, url = testConfig.TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
