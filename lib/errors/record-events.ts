import type { GraphQLError } from 'graphql';
import { BorrowedCode, ErrorCode } from './codes.ts';
import { codedError } from './coded-error.ts';
import type { Reconnect } from './streams.ts';

/**
 * Events past the retention window of the feed were deleted before this subscriber read them: its
 * stream ends rather than pretending nothing happened. Resubscribing without a last event id starts now.
 */
export function eventsMissed(): GraphQLError {
  return codedError(
    'Events beyond the retention window were lost; resubscribe without a last event id and re-read the records you follow',
    ErrorCode.EventsMissed,
  );
}

/** A subscriber let more than `maxQueuedEvents` events wait for it: its stream is cut rather than buffered without bound. */
export function queuedTooLong(maxQueuedEvents: number): GraphQLError {
  return codedError(
    `The subscriber read too slowly (more than ${maxQueuedEvents} events waiting); reconnect with the last event id received`,
    ErrorCode.SlowConsumer,
    { reconnect: 'WITH_LAST_EVENT_ID' satisfies Reconnect, maxQueuedEvents },
  );
}

/**
 * An event whose record could not be looked up as the subscriber (a subgraph or its database away) even
 * after retries: the stream ends here rather than skip it, and resuming from the last event id received
 * reads it again from the owner's outbox once the subgraph is back.
 */
export function eventUndecided(subgraph: string | undefined): GraphQLError {
  return codedError(
    'An event could not be resolved because a subgraph it needs is unavailable; reconnect with the last event id received',
    ErrorCode.SubgraphUnavailable,
    { reconnect: 'WITH_LAST_EVENT_ID' satisfies Reconnect, ...(subgraph ? { subgraph } : {}) },
  );
}

/** A document that does not validate against the schema served, under graphql-js's code, as Apollo reports it. */
export function graphqlValidationFailed(error: GraphQLError): GraphQLError {
  return codedError(error.message, BorrowedCode.GraphqlValidationFailed, {}, { source: error.source, positions: error.positions });
}
