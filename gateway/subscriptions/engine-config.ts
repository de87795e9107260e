import { z } from 'zod';
import type { Backoff } from './shared-feed.ts';

/** Environment variables of the subscription engine, merged into the gateway's schema. */
export const engineEnv = {
  /** Events one subscriber may let wait (unresolved or unread) before its stream ends with SLOW_CONSUMER. */
  SUBSCRIPTION_MAX_QUEUE: z.coerce.number().int().min(1).max(100_000).default(100),
  /** First wait before reconnecting to a subgraph's record-event feed; it doubles per failure. */
  SUBSCRIPTION_FEED_RETRY_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Longest wait between reconnections to a feed. */
  SUBSCRIPTION_FEED_RETRY_MAX_MS: z.coerce.number().int().min(10).max(300_000).default(10_000),
  /** Further tries of an event whose record lookup found a subgraph away, on the feed's backoff, before its stream ends. */
  SUBSCRIPTION_EVENT_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
};

/** How the engine queues and reconnects. */
export interface EngineConfig {
  /** SUBSCRIPTION_MAX_QUEUE. */
  maxQueue: number;
  /** SUBSCRIPTION_FEED_RETRY_MS and SUBSCRIPTION_FEED_RETRY_MAX_MS. */
  backoff: Backoff;
  /** SUBSCRIPTION_EVENT_RETRIES. */
  eventRetries: number;
}

/** Reads the engine's settings out of the parsed gateway environment. */
export function engineConfigOf(env: Record<string, unknown>): EngineConfig {
  const initialMs = env.SUBSCRIPTION_FEED_RETRY_MS as number;
  return {
    maxQueue: env.SUBSCRIPTION_MAX_QUEUE as number,
    backoff: { initialMs, maxMs: Math.max(initialMs, env.SUBSCRIPTION_FEED_RETRY_MAX_MS as number) },
    eventRetries: env.SUBSCRIPTION_EVENT_RETRIES as number,
  };
}
