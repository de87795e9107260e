import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.ts';

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
  Internal: 'INTERNAL_SERVER_ERROR',
} as const;

/** Codes produced by GraphQL tooling itself that are safe and useful to show to clients. */
const PUBLIC_CODES = new Set<string>([
  ...Object.values(ErrorCode),
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

/**
 * Apollo Server `formatError`: errors with a public code pass through; anything else is logged in full
 * for operators and reaches the client only as INTERNAL_SERVER_ERROR, so stack traces, SQL and
 * connection strings never leave the process.
 */
export function maskError(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    // Apollo refuses some requests (a persisted-query version or hash it cannot use) with a 4xx and no
    // code of its own, which it then reports as INTERNAL_SERVER_ERROR: they are the client's to fix.
    if (code === ErrorCode.Internal && clientStatus(error)) return { ...formatted, extensions: { code: ErrorCode.BadRequest } };
    if (typeof code === 'string' && PUBLIC_CODES.has(code)) {
      const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    log.error({ err: unwrap(error), path: formatted.path }, 'unexpected error masked for client');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      extensions: {
        code: ErrorCode.Internal,
        ...(typeof formatted.extensions?.serviceName === 'string' ? { serviceName: formatted.extensions.serviceName } : {}),
      },
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
