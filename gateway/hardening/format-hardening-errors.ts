import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, isQueryTooComplex } from '../../lib/errors/index.ts';

/** graphql-js's own token limit (Apollo Server has no parser hook for armor's); its message names the count. */
const TOKEN_LIMIT = /Document contains more tha[nt] (\d+) tokens/;
/** graphql-js's "Did you mean …?" suggestions, which would reveal schema names with introspection off. */
const SUGGESTION = /\s*Did you mean .+\?/g;

/** A validation message without graphql-js's suggestions of schema names (graphql 16 cannot turn them off). */
export const withoutSuggestions = (message: string): string => message.replace(SUGGESTION, '');

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Wraps the gateway's `formatError`: limit errors get back the `QUERY_TOO_COMPLEX` code Apollo
 * overwrites on validation errors (and the token limit, a parse error, gets it too), then `inner`
 * masks what is not a client code; suggestions are cut from messages when turned off.
 */
export function formatHardeningErrors(inner: FormatError, fieldSuggestions: boolean): FormatError {
  return (formatted, error) => {
    const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
    if (isQueryTooComplex(original)) {
      const { http: _http, ...extensions } = original.extensions;
      return { ...formatted, extensions };
    }
    const tokens = TOKEN_LIMIT.exec(formatted.message);
    if (tokens && formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
      const max = Number(tokens[1]);
      return { message: `Token limit of ${max} exceeded`, extensions: { code: ErrorCode.QueryTooComplex, limit: 'tokens', max } };
    }
    const result = inner(formatted, error);
    return fieldSuggestions ? result : { ...result, message: withoutSuggestions(result.message) };
  };
}
