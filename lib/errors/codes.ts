/**
 * Stable `extensions.code` values that clients may rely on: the public contract of every error we
 * raise. Raise them through the constructors of `constructors.ts` and `protections.ts`, never by hand, so
 * that each code always carries the same extensions.
 */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  UnauthorizedFieldOrType: 'UNAUTHORIZED_FIELD_OR_TYPE',
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  /**
   * A field of a record its owner releases to the caller as a reference only (release decision
   * REFERENCE_ONLY): the record's id, kind, owner and jurisdiction are served, this field is null.
   */
  NotReleased: 'NOT_RELEASED',
  /** An optimistic-versioning clash: the record changed since the client read it. */
  Conflict: 'CONFLICT',
  BadRequest: 'BAD_REQUEST',
  /** A subgraph did not answer in time, is down, or is failed fast by its circuit breaker; `extensions.subgraph` names it. */
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph's database is unreachable; the request may be retried. */
  DatabaseUnavailable: 'DATABASE_UNAVAILABLE',
  /** Over a depth, alias, token, directive or estimated-cost limit; `extensions.limit` says which. */
  QueryTooComplex: 'QUERY_TOO_COMPLEX',
  /** Too many requests; retry after the `Retry-After` header's seconds. */
  RateLimited: 'RATE_LIMITED',
  /** The partner may run registered operations only, and this one is not registered for it. */
  PersistedQueryNotInList: 'PERSISTED_QUERY_NOT_IN_LIST',
  /** A stream's token expired: it closes, and `extensions.reconnect` says to reconnect with a fresh token. */
  TokenExpired: 'TOKEN_EXPIRED',
  /** A subscriber read too slowly: its stream was cut rather than buffered; reconnect with the last event id. */
  SlowConsumer: 'SLOW_CONSUMER',
  /** A resumed subscription asked for events older than the retention window keeps: some were lost; resubscribe without a position. */
  EventsMissed: 'EVENTS_MISSED',
  /** Over the subscriptions allowed per connection or per partner; `extensions.limit` says which and `max` how many. */
  TooManySubscriptions: 'TOO_MANY_SUBSCRIPTIONS',
  /** The gateway is shutting down: the stream closed, or the request was refused; reconnect (another replica serves it). */
  ShuttingDown: 'SHUTTING_DOWN',
  /**
   * Anything unexpected. Its message is always {@link INTERNAL_MESSAGE} and `extensions.requestId` names
   * the request whose log lines hold the real error; no other code may carry an unexpected error's text.
   */
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

/**
 * Codes graphql-js and Apollo give a request's own faults. They are not ours to define, but clients see
 * them as they are, and the gateway raises OPERATION_RESOLUTION_FAILURE itself where Apollo would not.
 */
export const BorrowedCode = {
  GraphqlParseFailed: 'GRAPHQL_PARSE_FAILED',
  GraphqlValidationFailed: 'GRAPHQL_VALIDATION_FAILED',
  PersistedQueryNotFound: 'PERSISTED_QUERY_NOT_FOUND',
  PersistedQueryNotSupported: 'PERSISTED_QUERY_NOT_SUPPORTED',
  OperationResolutionFailure: 'OPERATION_RESOLUTION_FAILURE',
} as const;

/** The only message an INTERNAL_SERVER_ERROR carries to a client. */
export const INTERNAL_MESSAGE = 'Internal server error';

/**
 * The codes whose errors reach clients with their own message: ours (every one but Internal), and the
 * borrowed ones. Everything else is masked.
 */
const CLIENT_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.Internal),
  ...Object.values(BorrowedCode),
]);

/** Whether an error coded `code` reaches the client with its own message (and extensions) rather than masked. */
export function isClientCode(code: unknown): code is string {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}
