import { traceHeaders } from '../../../lib/observability/tracing.ts';
import { type Dispatcher, fetch as fetchVia } from 'undici';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER } from '../../../lib/identity/internal-identity.ts';
import type { DelegatedIdentity } from '../write/write-runner.ts';
import { GATEWAY_REQUEST_ID_HEADER, PARTNER_REQUEST_ID_HEADER } from '../../../lib/observability/request-metadata.ts';
import { currentRequestScope, type RequestScope, X_REQUEST_ID } from '../../../lib/observability/request-scope.ts';

/** One GraphQL error of another subgraph's answer. */
export interface SubgraphError {
  message: string;
  extensions?: { code?: string };
}

/** Another subgraph's answer to one operation. */
export interface SubgraphAnswer<D> {
  data?: D | null;
  errors?: SubgraphError[];
}

/** The subgraph gave no GraphQL answer: unreachable, too slow, or it answered something else. */
export class SubgraphUnreachable extends Error {
  override readonly name = 'SubgraphUnreachable';
}

/**
 * Sends one operation straight to another subgraph on behalf of the caller, with the identity the
 * gateway minted for presenting that caller there (a subgraph has no identity of its own to lend, and
 * the one it was called with is good at itself only), so the callee applies that caller's rights and
 * row rules; the identities minted for the callee to present in turn go along. Bounded by `timeoutMs`.
 * The request ids travel along: the callee checks the identity was minted for this gateway request,
 * and the log lines of both subgraphs can be matched. With a `dispatcher` (an undici Agent verifying
 * against SUBGRAPH_CA_FILE) the call connects through it; without one, through Node's own fetch.
 */
export async function callSubgraph<D>(
  url: string,
  document: string,
  variables: Record<string, unknown>,
  presented: DelegatedIdentity,
  timeoutMs: number,
  dispatcher?: Dispatcher,
): Promise<SubgraphAnswer<D>> {
  try {
    const init = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: presented.identity,
        ...(presented.onward ? { [DELEGATED_IDENTITY_HEADER]: presented.onward } : {}),
        ...requestIdHeaders(currentRequestScope()),
        ...traceHeaders(),
      },
      body: JSON.stringify({ query: document, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    };
    const response = dispatcher ? await fetchVia(url, { ...init, dispatcher }) : await fetch(url, init);
    const body = (await response.json()) as SubgraphAnswer<D> | null;
    if (body === null || typeof body !== 'object' || !('data' in body || 'errors' in body)) {
      throw new SubgraphUnreachable(`${url} answered HTTP ${response.status} without a GraphQL result`);
    }
    return body;
  } catch (error) {
    if (error instanceof SubgraphUnreachable) throw error;
    // For the logs only (callers answer their client in their own words): a refused or unverified connection says why.
    const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : `${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
    throw new SubgraphUnreachable(`${url}: ${reason}`, { cause: error });
  }
}

/** The `extensions.code` values of an answer's errors. */
export const errorCodesOf = (answer: SubgraphAnswer<unknown>): string[] =>
  (answer.errors ?? []).map((error) => error.extensions?.code ?? 'UNKNOWN');

/**
 * The ids of the partner request being served, so the callee files its audit entries under the same
 * gateway request id, with the partner's own id (the trace id when it differs from the gateway's) beside it.
 */
function requestIdHeaders(scope: RequestScope | undefined): Record<string, string> {
  if (!scope) return {};
  const { requestId, gatewayRequestId } = scope;
  return {
    [X_REQUEST_ID]: requestId,
    ...(gatewayRequestId ? { [GATEWAY_REQUEST_ID_HEADER]: gatewayRequestId } : {}),
    ...(gatewayRequestId && requestId !== gatewayRequestId ? { [PARTNER_REQUEST_ID_HEADER]: requestId } : {}),
  };
}
