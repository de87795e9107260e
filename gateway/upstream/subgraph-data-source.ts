import { traceHeaders } from '../../lib/observability/tracing.ts';
import { STATUS_CODES } from 'node:http';
import { RemoteGraphQLDataSource, type ServiceEndpointDefinition } from '@apollo/gateway';
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { Agent, type Dispatcher } from 'undici';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER } from '../../lib/identity/internal-identity.ts';
import {
  GATEWAY_REQUEST_ID_HEADER,
  OPERATION_HASH_HEADER,
  OPERATION_NAME_HEADER,
  PARTNER_REQUEST_ID_HEADER,
} from '../../lib/observability/request-metadata.ts';
import { X_REQUEST_ID } from '../../lib/observability/request-scope.ts';
import type { GatewayContext } from '../context.ts';
import { abortable, type ResiliencePolicy, ResilientDataSource } from './resilient-data-source.ts';

/**
 * The gateway's one keep-alive connection pool for every subgraph call: it reuses TCP (and TLS)
 * connections instead of paying a handshake per fetch. With `ca` (SUBGRAPH_CA_FILE), https://
 * subgraphs must present a certificate chaining to it, and only to it: the bundle replaces Node's
 * CAs for this pool. Without it, https:// subgraphs are verified against Node's CAs. Verification is
 * never turned off. A plain http:// origin ignores the TLS options, so its path is the same either way.
 */
export const subgraphPool = (ca?: Buffer): Agent =>
  new Agent({ keepAliveTimeout: 60_000, connections: 128, ...(ca ? { connect: { ca } } : {}) });

/**
 * The part of a fetch `Response` that RemoteGraphQLDataSource reads, over undici's plain request API.
 * WHATWG fetch builds a Request, Headers, a web stream and an abort controller per call; profiles of
 * the benchmark's lookups put it at a sixth of the gateway's CPU, most of which this skips.
 */
class SubgraphResponse {
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    rawHeaders: Record<string, string | string[] | undefined>,
    private readonly body: Dispatcher.ResponseData['body'],
  ) {
    this.headers = {
      get: (name) => {
        const value = rawHeaders[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  text(): Promise<string> {
    return this.body.text().catch(fetchFailed);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

/** Fails as undici's fetch does, so the failure classification sees a refused or reset connection alike. */
function fetchFailed(cause: unknown): never {
  if (cause instanceof Error && cause.name === 'AbortError') throw cause;
  throw new TypeError('fetch failed', { cause });
}

const origins = new Map<string, { origin: string; path: string }>();

async function requestFetch(
  dispatcher: Dispatcher,
  url: string,
  init: FetcherRequestInit & { signal?: AbortSignal } = {},
): Promise<SubgraphResponse> {
  let target = origins.get(url);
  if (!target) {
    const parsed = new URL(url);
    origins.set(url, (target = { origin: parsed.origin, path: parsed.pathname + parsed.search }));
  }
  const method = (init.method ?? 'GET') as Dispatcher.HttpMethod;
  const response = await dispatcher
    .request({ ...target, method, headers: init.headers as Record<string, string>, body: init.body ?? null, signal: init.signal ?? null })
    .catch(fetchFailed);
  return new SubgraphResponse(url, response.statusCode, response.headers, response.body);
}

/** The fetcher RemoteGraphQLDataSource calls, over `pool`. */
const keepAliveFetch = (pool: Dispatcher): Fetcher =>
  abortable(((url: string, init?: FetcherRequestInit) => requestFetch(pool, url, init)) as unknown as Fetcher);

/** A subgraph operation that writes: only writes call other subgraphs, so only they get delegated identities. */
const MUTATION = /^\s*mutation\b/;

/**
 * Builds the data source for one subgraph, routed to its configured URL, called with its
 * {@link ResiliencePolicy} (time budget, retries for reads, circuit breaker). Each fetch carries the
 * gateway-signed identity of the caller and the request's ids, and nothing the client sent: a client
 * header that mimics the identity or a metadata header is never forwarded. Fetches go through `pool`,
 * the gateway's {@link subgraphPool}.
 */
export function subgraphDataSource(
  subgraphUrls: Record<string, string>,
  policyOf: (subgraph: string) => ResiliencePolicy,
  pool: Dispatcher,
) {
  const fetcher = keepAliveFetch(pool);
  return ({ name, url }: ServiceEndpointDefinition) =>
    new ResilientDataSource(
      name,
      new RemoteGraphQLDataSource<GatewayContext>({
        url: subgraphUrls[name] ?? url,
        fetcher,
        async willSendRequest(options) {
          const { request, context } = options;
          const headers = request.http?.headers;
          const record = context.request;
          // One identity per fetch (a retry gets a new one): good at this subgraph, for this request, once.
          headers?.set(IDENTITY_HEADER, await context.identities.forFetch(name));
          if (MUTATION.test(request.query ?? '')) {
            const delegated = await context.identities.delegatedBy(name);
            if (delegated) headers?.set(DELEGATED_IDENTITY_HEADER, delegated);
          }
          headers?.set(X_REQUEST_ID, record.requestId);
          // The trace goes on: the active span is @apollo/gateway's gateway.fetch for this subgraph.
          for (const [name, value] of Object.entries(traceHeaders())) headers?.set(name, value);
          // What the subgraph's audit trail records about the partner's request and operation. The
          // hash is the one taken on arrival: the operation planned may be a rewrite without the fields
          // the partner may not read, and its hash names no document the partner sent.
          headers?.set(GATEWAY_REQUEST_ID_HEADER, record.gatewayRequestId);
          if (record.partnerRequestId) headers?.set(PARTNER_REQUEST_ID_HEADER, record.partnerRequestId);
          if (record.operationHash) headers?.set(OPERATION_HASH_HEADER, record.operationHash);
          if ('incomingRequestContext' in options && options.incomingRequestContext.operationName) {
            headers?.set(OPERATION_NAME_HEADER, options.incomingRequestContext.operationName);
          }
        },
      }),
      policyOf(name),
    );
}
