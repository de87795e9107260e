import { type DocumentNode, getOperationAST, GraphQLError, parse } from 'graphql';
import type { Caller } from '../../../lib/authz/principal.ts';
import {
  graphqlParseFailed,
  operationResolutionFailure,
  shuttingDown,
  subscriptionsOnly,
  tooManySubscriptions,
  unauthenticated,
} from '../../../lib/errors/index.ts';
import type { SubscriptionRequest } from './engine-contract.ts';
import type { Release, StreamRegistry } from './stream-registry.ts';

/** A subscription let through to the engine, holding one of its partner's subscriptions until released. */
export interface Admitted {
  document: DocumentNode;
  release: Release;
}

/** Where a subscription arrives, and how many its connection holds already (a WebSocket's; an SSE request holds none). */
export interface Arrival {
  transport: 'WebSocket' | 'SSE';
  onConnection?: { open: number; max: number };
}

/**
 * What every transport checks before the engine sees a subscription: the gateway is not stopping, the
 * caller has a token, the document parses into a subscription, and the limits leave room. The engine
 * does the rest (validation, field rules, filters); a refusal is a list of coded errors, never a hang.
 */
export function admitSubscription(
  caller: Caller,
  request: SubscriptionRequest,
  registry: StreamRegistry,
  arrival: Arrival,
): Admitted | GraphQLError[] {
  if (registry.closing) return [shuttingDown()];
  const { principal } = caller;
  if (!principal) {
    const where = arrival.transport === 'SSE' ? 'the authorization header' : 'the connection_init payload (authorization)';
    return [unauthenticated(`A subscription needs a partner token: send "Bearer <token>" in ${where}`)];
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    if (error instanceof GraphQLError) return [graphqlParseFailed(error)];
    throw error;
  }
  const operation = getOperationAST(document, request.operationName);
  if (!operation) {
    return [
      operationResolutionFailure(
        request.operationName ? `Unknown operation named "${request.operationName}"` : 'Send one operation, or name the one to run',
      ),
    ];
  }
  if (operation.operation !== 'subscription') return [subscriptionsOnly(arrival.transport, operation.operation)];
  const { onConnection } = arrival;
  if (onConnection && onConnection.open >= onConnection.max) return [tooManySubscriptions('perConnection', onConnection.max)];
  const release = registry.take(principal.subject);
  if (release instanceof GraphQLError) return [release];
  return { document, release };
}

/**
 * `value` when it is a usable last event id (printable ASCII, at most 1,000 characters: a merged
 * subscription's id names a position in every subgraph's feed), else undefined or the error to refuse with.
 */
export function lastEventIdOf(value: unknown): string | undefined | Error {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string' && /^[\x21-\x7e]{1,1000}$/.test(value)) return value;
  return new Error('a last event id is 1 to 1,000 printable ASCII characters');
}
