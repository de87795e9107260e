import type { RedisClient } from '../../lib/redis/index.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { clientSpan } from '../../lib/observability/tracing.ts';
import type { BucketRule } from './hardening-config.ts';

/** A bucket to take one token from, and its rule. */
export interface BucketRequest {
  key: string;
  rule: BucketRule;
}

/** Whether a request may go; when not, how long until it may, and which bucket is empty. */
export type BucketDecision = { allowed: true } | { allowed: false; retryAfterMs: number; bucket: number };

/** Takes one token from every bucket of a request, or from none. */
export interface TokenBuckets {
  take(buckets: readonly BucketRequest[]): Promise<BucketDecision>;
}

/**
 * Takes one token from each bucket (KEYS) at once, or from none when any is empty; on a cluster the
 * KEYS must share a hash tag (see rate-limit.ts). ARGV holds each
 * bucket's tokens per second and burst. Time comes from Redis, so replicas with skewed clocks share
 * one view; the state of a bucket is its level and when it was last taken from, and it expires once
 * it would be full again.
 */
const TAKE_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local levels = {}
local wait, empty = 0, 0
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local tokens = tonumber(state[1]) or burst
  local at = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
  levels[i] = tokens
  if tokens < 1 then
    local need = math.ceil((1 - tokens) * 1000 / rate)
    if need > wait then wait, empty = need, i end
  end
end
if wait > 0 then return {0, wait, empty} end
for i = 1, #KEYS do
  local rate, burst = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  redis.call('HSET', KEYS[i], 'tokens', tostring(levels[i] - 1), 'at', now)
  redis.call('PEXPIRE', KEYS[i], math.ceil(burst * 1000 / rate) + 1000)
end
return {1, 0, 0}
`;

/** After Redis fails, requests skip it for this long instead of each waiting for a timeout. */
const REDIS_PAUSE_MS = 1_000;
/** At most one "rate limiting bypassed" warning per this interval. */
const WARN_INTERVAL_MS = 10_000;

type TakeCommand = (numKeys: number, ...args: (string | number)[]) => Promise<[number, number, number]>;

/**
 * Token buckets in Redis, shared by every gateway replica, taken atomically by one Lua script (no
 * read-modify-write race, no KEYS). When Redis fails or is unreachable the request is let through
 * and a warning logged: a Redis outage must never fail partner requests.
 */
export function redisTokenBuckets(redis: RedisClient, log: Logger): TokenBuckets {
  redis.defineCommand('liaisonTakeTokens', { lua: TAKE_SCRIPT });
  const take = (redis as unknown as { liaisonTakeTokens: TakeCommand }).liaisonTakeTokens.bind(redis);
  let pausedUntil = 0;
  let warnedAt = -Infinity;
  const bypass = (reason: string): BucketDecision => {
    if (Date.now() - warnedAt >= WARN_INTERVAL_MS) {
      warnedAt = Date.now();
      log.warn({ err: reason, redis: redis.status }, 'rate limiting bypassed: Redis unavailable, requests let through');
    }
    return { allowed: true };
  };
  return {
    async take(buckets) {
      // Disconnected or timing out lately: let the request through at once rather than wait.
      if (redis.status !== 'ready') return bypass(`Redis connection is ${redis.status}`);
      if (Date.now() < pausedUntil) return bypass('Redis timed out within the last second');
      try {
        const [allowed, wait, empty] = await clientSpan('EVALSHA redis', { 'db.system.name': 'redis' }, () =>
          take(buckets.length, ...buckets.map((b) => b.key), ...buckets.flatMap((b) => [b.rule.perSecond, b.rule.burst])),
        );
        return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs: wait, bucket: empty - 1 };
      } catch (error) {
        pausedUntil = Date.now() + REDIS_PAUSE_MS;
        return bypass(error instanceof Error ? error.message : String(error));
      }
    },
  };
}

/** Buckets this many idle keys before sweeping out the full ones. */
const SWEEP_AT = 50_000;

/** The same buckets in process memory, for a gateway without REDIS_URL (each replica counts alone). */
export function memoryTokenBuckets(now: () => number = Date.now): TokenBuckets {
  const state = new Map<string, { tokens: number; at: number; rule: BucketRule }>();
  const level = (key: string, rule: BucketRule, at: number) => {
    const bucket = state.get(key);
    return bucket ? Math.min(rule.burst, bucket.tokens + (Math.max(0, at - bucket.at) * rule.perSecond) / 1000) : rule.burst;
  };
  return {
    async take(buckets) {
      const at = now();
      const levels = buckets.map((b) => level(b.key, b.rule, at));
      let wait = 0;
      let empty = 0;
      levels.forEach((tokens, i) => {
        const need = tokens < 1 ? Math.ceil(((1 - tokens) * 1000) / buckets[i]!.rule.perSecond) : 0;
        if (need > wait) [wait, empty] = [need, i];
      });
      if (wait > 0) return { allowed: false, retryAfterMs: wait, bucket: empty };
      if (state.size > SWEEP_AT) {
        for (const [key, bucket] of state) if (level(key, bucket.rule, at) >= bucket.rule.burst) state.delete(key);
      }
      buckets.forEach((b, i) => state.set(b.key, { tokens: levels[i]! - 1, at, rule: b.rule }));
      return { allowed: true };
    },
  };
}
