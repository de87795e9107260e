import type { ExecutionResult } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';

/** One subscription as a transport hands it to the engine: the document as sent, and where to resume. */
export interface SubscribeRequest {
  query: string;
  variables?: Record<string, unknown> | undefined;
  operationName?: string | undefined | null;
  /**
   * The id of the last event the subscriber received (SSE `Last-Event-ID`, a WebSocket payload field);
   * the field's own `after` argument wins over it.
   */
  lastEventId?: string | undefined;
}

/**
 * The subscription engine's one entry point: a stream of results, one per event delivered (each with
 * `extensions.eventId`, the event's id to resume after), or one result refusing the subscription with
 * coded errors before it streamed. A stream ends by throwing a coded GraphQLError: EVENTS_MISSED (the
 * feed's retention passed the position), SLOW_CONSUMER (the subscriber let too many events wait).
 */
export type Subscribe = (caller: Caller, request: SubscribeRequest) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
