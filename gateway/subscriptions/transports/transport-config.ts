import { z } from 'zod';

const count = (max: number) => z.coerce.number().int().min(1).max(max);

/** Environment variables of the subscription transports (WebSocket and SSE), merged into the gateway's schema. */
export const transportEnv = {
  /** Subscriptions one WebSocket connection may hold open at once (an SSE connection holds one). */
  SUBSCRIPTIONS_PER_CONNECTION: count(1_000).default(10),
  /** Subscriptions one partner (token subject) may hold open at once in this gateway process, over both transports. */
  SUBSCRIPTIONS_PER_PARTNER: count(100_000).default(50),
  /** How often a WebSocket is pinged; one that has not answered the previous ping by then is closed. */
  SUBSCRIPTIONS_HEARTBEAT_MS: z.coerce.number().int().min(1_000).max(300_000).default(15_000),
  /** Bytes a subscriber may fall behind (written, not yet taken by its connection) before its stream is cut (SLOW_CONSUMER). */
  SUBSCRIPTIONS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1_024).max(104_857_600).default(1_048_576),
  /** How long a WebSocket may take to send its `connection_init` before it is closed with 4408. */
  SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
};

/** Limits and lifetime of subscription streams. */
export interface TransportConfig {
  /** SUBSCRIPTIONS_PER_CONNECTION. */
  perConnection: number;
  /** SUBSCRIPTIONS_PER_PARTNER. */
  perPartner: number;
  /** SUBSCRIPTIONS_HEARTBEAT_MS. */
  heartbeatMs: number;
  /** SUBSCRIPTIONS_MAX_BUFFERED_BYTES. */
  maxBufferedBytes: number;
  /** SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT_MS. */
  connectionInitTimeoutMs: number;
}

/** Reads the transport settings out of the parsed gateway environment. */
export function transportConfigOf(env: Record<string, unknown>): TransportConfig {
  return {
    perConnection: env.SUBSCRIPTIONS_PER_CONNECTION as number,
    perPartner: env.SUBSCRIPTIONS_PER_PARTNER as number,
    heartbeatMs: env.SUBSCRIPTIONS_HEARTBEAT_MS as number,
    maxBufferedBytes: env.SUBSCRIPTIONS_MAX_BUFFERED_BYTES as number,
    connectionInitTimeoutMs: env.SUBSCRIPTIONS_CONNECTION_INIT_TIMEOUT_MS as number,
  };
}
