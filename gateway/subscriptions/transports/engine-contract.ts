import type { ExecutionResult } from 'graphql';
import type { Caller } from '../../../lib/authz/principal.ts';

/** One subscription as a transport hands it to the engine: the document as sent, and where to resume. */
export interface SubscriptionRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined;
  /** The id of the last event the subscriber received (SSE `Last-Event-ID`, WebSocket `extensions.lastEventId`). */
  lastEventId?: string | undefined;
}

/**
 * What the engine answers: a stream of results, or one result refusing the subscription before it
 * streamed (coded errors). A stream may end by throwing a coded GraphQLError (EVENTS_MISSED, SLOW_CONSUMER).
 */
export type SubscriptionOutcome = AsyncIterableIterator<ExecutionResult> | AsyncIterable<ExecutionResult> | ExecutionResult;

/**
 * The subscription engine as the transports see it (gateway/subscriptions/): it authorizes the operation
 * and resolves every event as `caller`. The transports authenticate, apply limits and lifetimes, and frame.
 */
export interface SubscriptionEngine {
  subscribe(caller: Caller, request: SubscriptionRequest): Promise<SubscriptionOutcome>;
}

/** The id an event result carries (`extensions.eventId`), sent as the SSE `id:` field so that a reconnecting EventSource resumes from it. */
export function eventIdOf(result: ExecutionResult): string | undefined {
  const id = result.extensions?.eventId;
  return typeof id === 'string' && /^[\x21-\x7e]{1,200}$/.test(id) ? id : undefined;
}

/** Whether the engine answered with a stream rather than a single result. */
export function isStream(outcome: SubscriptionOutcome): outcome is AsyncIterable<ExecutionResult> {
  return typeof (outcome as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}
