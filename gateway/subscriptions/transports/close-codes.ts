import { CloseCode } from 'graphql-ws';
import type { Ending } from './stream-registry.ts';

/**
 * WebSocket close codes and reasons a client can act on. graphql-ws's own codes keep their meaning
 * (4400 malformed message, 4403 refused, 4401 unauthorized, 4408 no `connection_init` in time, 4406 not
 * `graphql-transport-ws`); the reason, at most 123 bytes, starts with the error code where there is one.
 */
export const WS_CLOSE = {
  /** A `connection_init` payload of the wrong shape (a credential that is not a string, a bad purpose). */
  malformedInit: CloseCode.BadRequest,
  /** The token in `connection_init` was refused. */
  authenticationFailed: CloseCode.Forbidden,
  /** The connection's token expired: reconnect with a fresh one (graphql-ws clients do not retry 4401 on their own). */
  tokenExpired: CloseCode.Unauthorized,
  /** The subscriber fell more than SUBSCRIPTIONS_MAX_BUFFERED_BYTES behind: Try Again Later, from the last event id. */
  slowConsumer: 1013,
  /** The gateway is stopping: Going Away; graphql-ws clients reconnect and subscribe again. */
  shutdown: 1001,
  /** Anything unexpected; nothing about it is sent. */
  internal: CloseCode.InternalServerError,
} as const;

/** The close code and reason of each way the gateway ends a WebSocket. */
export const WS_ENDING: Record<Ending, { code: number; reason: string }> = {
  expired: { code: WS_CLOSE.tokenExpired, reason: 'TOKEN_EXPIRED: the token expired; reconnect with a fresh token' },
  slow: { code: WS_CLOSE.slowConsumer, reason: 'SLOW_CONSUMER: read too slowly; reconnect with the last event id' },
  shutdown: { code: WS_CLOSE.shutdown, reason: 'server shutting down, reconnect' },
};

/** `reason` cut to the 123 bytes a close frame carries, on a character boundary. */
export function closeReason(reason: string): string {
  let cut = reason;
  while (Buffer.byteLength(cut) > 123) cut = cut.slice(0, -1);
  return cut;
}
