import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './observability/logger.ts';
import { currentRequestScope } from './observability/request-scope.ts';

/** Stable `extensions.code` values that clients may rely on. */
export const ErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  UnauthorizedFieldOrType: 'UNAUTHORIZED_FIELD_OR_TYPE',
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
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
  /**
   * Anything unexpected. Its message is always {@link INTERNAL_MESSAGE} and `extensions.requestId` names
   * the request whose log lines hold the real error; no other code may carry an unexpected error's text.
   */
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

/** The only message an INTERNAL_SERVER_ERROR carries to a client. */
export const INTERNAL_MESSAGE = 'Internal server error';

/**
 * The codes whose errors reach clients with their own message: ours (every one but Internal), and those
 * graphql-js and Apollo give a request's own faults. Everything else is masked.
 */
const CLIENT_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.Internal),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** An input the client can fix; `field` names the offending argument or input field. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, ...(field ? { field } : {}) } });
}

/** The caller may not do this, and may know why. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}

/** No such record, or none the caller may see: the two are indistinguishable on purpose. */
export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NotFound } });
}

/** An internal error as a client sees it: the generic message and the id of the request to quote to operators. */
export function internalError(requestId: string | undefined = currentRequestScope()?.requestId): GraphQLFormattedError {
  return { message: INTERNAL_MESSAGE, extensions: { code: ErrorCode.Internal, ...(requestId ? { requestId } : {}) } };
}

/**
 * Apollo Server `formatError` of the gateway and of every subgraph: errors with a client code pass
 * through; anything else (Apollo codes every unexpected error INTERNAL_SERVER_ERROR, database and
 * query-planner text and "Context creation failed: …" included) is logged in full for operators and
 * reaches the client as {@link internalError}, so stack traces, SQL and connection strings never leave
 * the process. The gateway relays an error a subgraph already masked (and logged, under the same
 * request id) masked again, noting it at debug level only.
 */
export function maskError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    // Apollo refuses some requests (a persisted-query version or hash it cannot use) with a 4xx and no
    // code of its own, which it then reports as INTERNAL_SERVER_ERROR: they are the client's to fix.
    if (code === ErrorCode.Internal && clientStatus(error)) return { ...formatted, extensions: { code: ErrorCode.BadRequest } };
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const serviceName = typeof formatted.extensions?.serviceName === 'string' ? formatted.extensions.serviceName : undefined;
    if (serviceName !== undefined && formatted.message === INTERNAL_MESSAGE)
      log.debug({ serviceName, path: formatted.path }, 'masked error of a subgraph relayed');
    else
      log.error(
        { err: unwrap(error), path: formatted.path, ...(serviceName ? { serviceName } : {}) },
        'unexpected error masked for client',
      );
    const masked = internalError();
    return {
      ...masked,
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: { ...masked.extensions, ...(serviceName ? { serviceName } : {}) },
    };
  };
}

function clientStatus(error: unknown): boolean {
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
}
