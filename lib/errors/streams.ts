import type { GraphQLError } from 'graphql';
import { BorrowedCode, ErrorCode } from './codes.ts';
import { codedError } from './coded-error.ts';

/**
 * How a stream ended or was refused, for subscribers (WebSocket and SSE alike): each error says in
 * `extensions.reconnect` what a client should do next, so a program can act without reading the message.
 */
export type Reconnect = 'WITH_FRESH_TOKEN' | 'WITH_LAST_EVENT_ID';

/** The subscriber's token expired while its stream was open; the stream closes. */
export function tokenExpired(): GraphQLError {
  return codedError('The token expired; reconnect with a fresh token', ErrorCode.TokenExpired, {
    reconnect: 'WITH_FRESH_TOKEN' satisfies Reconnect,
  });
}

/** The subscriber fell more than `maxBufferedBytes` behind; the stream was cut instead of buffering more. */
export function slowConsumer(maxBufferedBytes: number): GraphQLError {
  return codedError(
    `The subscriber read too slowly (more than ${maxBufferedBytes} bytes waiting); reconnect with the last event id received`,
    ErrorCode.SlowConsumer,
    { reconnect: 'WITH_LAST_EVENT_ID' satisfies Reconnect, maxBufferedBytes },
  );
}

/** Which subscription limit a new subscription went over. */
export type SubscriptionLimit = 'perConnection' | 'perPartner';

/** A new subscription over a limit; the ones already open stand. */
export function tooManySubscriptions(limit: SubscriptionLimit, max: number): GraphQLError {
  const where = limit === 'perConnection' ? 'on this connection' : 'for this partner';
  return codedError(`At most ${max} subscriptions may be open ${where}; complete one first`, ErrorCode.TooManySubscriptions, {
    limit,
    max,
  });
}

/** The gateway is stopping: open streams close with it, new ones are refused; another replica serves the reconnection. */
export function shuttingDown(): GraphQLError {
  return codedError('The server is shutting down; reconnect with the last event id received', ErrorCode.ShuttingDown, {
    reconnect: 'WITH_LAST_EVENT_ID' satisfies Reconnect,
  });
}

/**
 * A query or mutation sent where only subscriptions are served (a WebSocket, or an SSE request): refused,
 * with where to send it instead, so that the stream ends rather than hangs.
 */
export function subscriptionsOnly(transport: 'WebSocket' | 'SSE', operation: string): GraphQLError {
  return codedError(
    `Only subscriptions are served over ${transport}; send a ${operation} as POST /graphql with content-type: application/json`,
    ErrorCode.BadRequest,
    { reason: 'SUBSCRIPTIONS_ONLY' },
  );
}

/** A document that does not parse, with graphql-js's message and location, under graphql-js's code, as Apollo reports it. */
export function graphqlParseFailed(syntaxError: GraphQLError): GraphQLError {
  const { source, positions } = syntaxError;
  return codedError(syntaxError.message, BorrowedCode.GraphqlParseFailed, {}, { source, positions });
}
