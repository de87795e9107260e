import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../lib/errors.ts';

/** The `extensions.code` values of the gateway's protections, from the one list of client codes. */
export const HardeningCode = {
  QueryTooComplex: ErrorCode.QueryTooComplex,
  RateLimited: ErrorCode.RateLimited,
  PersistedQueryNotInList: ErrorCode.PersistedQueryNotInList,
} as const;

/** Which limit an operation went over. */
export type LimitName = 'depth' | 'aliases' | 'tokens' | 'directives' | 'cost';

/** An operation over one of the query limits: HTTP 400, `QUERY_TOO_COMPLEX`, naming the limit. */
export class QueryLimitError extends GraphQLError {
  constructor(message: string, limit: LimitName, max: number, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code: HardeningCode.QueryTooComplex, limit, max, ...extra, http: { status: 400 } } });
  }
}

/** HTTP 429 `RATE_LIMITED` with `Retry-After` in whole seconds. */
export function rateLimited(who: string, retryAfterMs: number): GraphQLError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Rate limit exceeded for this ${who}; retry after ${seconds} s`, {
    extensions: {
      code: HardeningCode.RateLimited,
      retryAfterSeconds: seconds,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
    },
  });
}

/** HTTP 403 `PERSISTED_QUERY_NOT_IN_LIST`: a safelisted partner sent an operation not registered for it. */
export function notInList(): GraphQLError {
  return new GraphQLError('This partner may run registered operations only, and this operation is not registered for its agency', {
    extensions: { code: HardeningCode.PersistedQueryNotInList, http: { status: 403 } },
  });
}
