import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { BorrowedCode, ErrorCode } from './codes.ts';
import { codedError } from './coded-error.ts';

/**
 * The refusals of the gateway's protections: query limits, rate limits, the safelist. They come before
 * execution, so each sets the HTTP status of its answer.
 */

/** Which limit an operation went over. */
export type LimitName = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost';

/**
 * Its own class so the gateway's `formatError` can recognise it behind Apollo's validation wrapper, which
 * overwrites the code with GRAPHQL_VALIDATION_FAILED; see {@link isQueryTooComplex}.
 */
class QueryTooComplexError extends GraphQLError {}

/**
 * An operation over one of the query limits: HTTP 400, naming the `limit` and its `max`; `extra` adds what
 * explains it (the estimated `cost` and the partner's `tier`).
 */
export function queryTooComplex(
  message: string,
  limit: LimitName,
  max: number,
  extra: Readonly<Record<string, unknown>> = {},
): GraphQLError {
  return new QueryTooComplexError(message, {
    extensions: { code: ErrorCode.QueryTooComplex, limit, max, ...extra, http: { status: 400 } },
  });
}

/** Whether `error` is a {@link queryTooComplex} refusal, whatever Apollo made of its code since. */
export function isQueryTooComplex(error: unknown): error is GraphQLError {
  return error instanceof QueryTooComplexError;
}

/** HTTP 429 with `Retry-After` in whole seconds (at least one), for the partner, its agency or an address (`who`). */
export function rateLimited(who: string, retryAfterMs: number): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return codedError(
    `Rate limit exceeded for this ${who}; retry after ${seconds} s`,
    ErrorCode.RateLimited,
    { retryAfterSeconds: seconds },
    {},
    { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
  );
}

/** HTTP 403: a safelisted partner sent an operation not registered for it. */
export function persistedQueryNotInList(): GraphQLError {
  return codedError(
    'This partner may run registered operations only, and this operation is not registered for its agency',
    ErrorCode.PersistedQueryNotInList,
    {},
    {},
    { status: 403 },
  );
}

/**
 * HTTP 400 with Apollo's own code: the document has no operation of the requested name, or several and
 * no name. graphql-js would report it at execution, which the gateway's executor does not reach.
 */
export function operationResolutionFailure(message: string): GraphQLError {
  return codedError(message, BorrowedCode.OperationResolutionFailure, {}, {}, { status: 400 });
}
