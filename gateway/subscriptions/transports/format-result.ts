import type { ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../../lib/errors/index.ts';
import type { FormatError } from '../../feature.ts';

interface ErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
  originalError?: unknown;
  toJSON?: () => GraphQLFormattedError;
}

const isErrorLike = (error: unknown): error is ErrorLike =>
  typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
const hasCode = (error: unknown): boolean => isErrorLike(error) && typeof error.extensions?.code === 'string';

/**
 * Formats errors for a subscriber through the gateway's `formatError` (the masking one, wrapped by the
 * features), as Apollo does for HTTP answers: client codes pass with their message, everything else is
 * logged and masked. `extensions.http` (Apollo's hint for the HTTP status) is dropped: a stream has none.
 * graphql-ws wraps an error a stream throws; the coded error inside is the one formatted.
 */
export function formatErrors(errors: readonly unknown[], format: FormatError): GraphQLFormattedError[] {
  return errors.map((raw) => {
    const error = isErrorLike(raw) && !hasCode(raw) && hasCode(raw.originalError) ? raw.originalError : raw;
    const formatted: GraphQLFormattedError = !isErrorLike(error)
      ? { message: String(error), extensions: { code: ErrorCode.Internal } }
      : typeof error.toJSON === 'function'
        ? error.toJSON()
        : { message: error.message, extensions: { code: ErrorCode.Internal, ...error.extensions } };
    const out = format(formatted, error);
    if (!out.extensions || !('http' in out.extensions)) return out;
    const { http: _http, ...extensions } = out.extensions;
    return { ...out, extensions };
  });
}

/** `result` with its errors formatted by {@link formatErrors}. */
export function formatResult(result: ExecutionResult, format: FormatError): FormattedExecutionResult {
  if (!result.errors?.length) return result as FormattedExecutionResult;
  return { ...result, errors: formatErrors(result.errors, format) } as FormattedExecutionResult;
}
