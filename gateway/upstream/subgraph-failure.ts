import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { ErrorCode } from '../../lib/errors/index.ts';
import type { SubgraphFailure } from '../observability/gateway-metrics.ts';

type GatewayGraphQLResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

/** A subgraph request that did not get an answer, and whether trying again may help a read. */
export interface Failure {
  reason: SubgraphFailure;
  /** For operators and the error message; never the subgraph's body. */
  detail: string;
  /** For operators only, what the error message leaves out: why a TLS handshake failed. */
  operatorDetail?: string;
  /** Worth a retry: nothing was served (refused, reset, 502/503/504). A timeout spent the budget already. */
  retryable: boolean;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

/**
 * Node's and OpenSSL's codes for a TLS handshake that failed: a certificate that does not verify
 * (unknown CA, expired, another host's name) or TLS spoken to a plain port. Trying again gets the same
 * answer, and the code says something about the link the partner need not know.
 */
const TLS_FAILURE = /CERT|^ERR_TLS_|^ERR_SSL_|^UNABLE_TO_|SELF_SIGNED|^INVALID_CA$|^HOSTNAME_MISMATCH$|^PATH_LENGTH_EXCEEDED$/;

/**
 * Tells a subgraph failure (no answer, or a 5xx) from anything else. `undefined` means the subgraph did
 * answer (a 4xx, an error of our own): not its fault, not a breaker failure, handled as before.
 */
export function classifyFailure(error: unknown, timedOut: boolean, timeoutMs: number): Failure | undefined {
  if (timedOut) return { reason: 'timeout', detail: `no answer within ${timeoutMs} ms`, retryable: false };
  if (!(error instanceof Error)) return undefined;
  const status = httpStatusOf(error);
  if (status !== undefined) {
    return status >= 500 ? { reason: 'bad_status', detail: `HTTP ${status}`, retryable: RETRYABLE_STATUS.has(status) } : undefined;
  }
  // undici's fetch reports refused, reset and closed connections as `TypeError: fetch failed`.
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && TLS_FAILURE.test(code)) {
      return { reason: 'unreachable', detail: 'TLS handshake failed', operatorDetail: `TLS handshake failed: ${code}`, retryable: false };
    }
    return { reason: 'unreachable', detail: typeof code === 'string' ? code : 'connection failed', retryable: true };
  }
  if (error instanceof SyntaxError || error.message.startsWith('Expected JSON response body')) {
    return { reason: 'bad_response', detail: 'answer is not a GraphQL response', retryable: false };
  }
  return undefined;
}

/** The status of a subgraph's non-2xx answer, as RemoteGraphQLDataSource reports it. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { extensions?: { response?: { status?: unknown } } } | undefined)?.extensions?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The answer the query plan gets instead of the subgraph's: no data, and an error per field the fetch
 * was to fill (root fields by name, entities by position, which the gateway maps to their paths in
 * the client's response), so the rest of the response stands and the nulls are explained.
 */
export function unavailableResponse(
  subgraph: string,
  failure: Pick<Failure, 'reason' | 'detail'>,
  operation: { read: boolean; rootFields: readonly string[] },
  variables: Record<string, unknown> | undefined,
): GatewayGraphQLResponse {
  const message = `Subgraph "${subgraph}" is unavailable (${failure.detail}); ${consequence(operation.read, failure.reason)}`;
  const { rootFields } = operation;
  const extensions = { code: ErrorCode.SubgraphUnavailable, subgraph, reason: failure.reason };
  const paths = Array.isArray(variables?.representations)
    ? variables.representations.map((_, index) => ['_entities', index])
    : rootFields.map((field) => [field]);
  return { errors: (paths.length > 0 ? paths : [undefined]).map((path) => ({ message, ...(path ? { path } : {}), extensions })) as never };
}

/** What the client should make of it: a write that was sent may have been applied before its answer was lost. */
function consequence(read: boolean, reason: SubgraphFailure): string {
  if (read) return 'the fields it serves are null';
  if (reason === 'circuit_open') return 'the mutation was not sent';
  return 'the mutation may have been applied: check before sending it again';
}
