import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from '../observability/logger.ts';
import { ErrorCode, INTERNAL_MESSAGE, isClientCode } from './codes.ts';
import { internalError } from './constructors.ts';

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
    if (isClientCode(code)) {
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

/** Whether Apollo answered `error` with a 4xx of its own: a refusal of the request, not a fault of ours. */
function clientStatus(error: unknown): boolean {
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The error behind Apollo's wrapper, whose stack is the one worth logging. */
function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
}
