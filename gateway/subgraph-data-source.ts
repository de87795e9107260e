import { RemoteGraphQLDataSource, type ServiceEndpointDefinition } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { Agent, fetch } from 'undici';
import { IDENTITY_HEADER } from '../lib/identity/internal-identity.ts';
import { OPERATION_HASH_HEADER, OPERATION_NAME_HEADER } from '../lib/request-metadata.ts';
import { X_REQUEST_ID } from '../lib/request-scope.ts';
import type { GatewayContext } from './gateway-context.ts';
import { abortable, type ResiliencePolicy, ResilientDataSource } from './resilient-data-source.ts';

/**
 * One keep-alive connection pool for every subgraph call: the gateway reuses TCP connections instead
 * of paying a handshake per fetch.
 */
const dispatcher = new Agent({ keepAliveTimeout: 60_000, connections: 128 });
const keepAliveFetch = abortable(((input: string, init?: Parameters<typeof fetch>[1]) => fetch(input, { ...init, dispatcher })) as unknown as Fetcher);

/**
 * Builds the data source for one subgraph, routed to its configured URL, called with its
 * {@link ResiliencePolicy} (time budget, retries for reads, circuit breaker). Each fetch carries the
 * gateway-signed identity of the caller and the request id, and nothing the client sent: a client
 * header that mimics the identity header is never forwarded.
 */
export function subgraphDataSource(subgraphUrls: Record<string, string>, policyOf: (subgraph: string) => ResiliencePolicy) {
  return ({ name, url }: ServiceEndpointDefinition) =>
    new ResilientDataSource(
      name,
      new RemoteGraphQLDataSource<GatewayContext>({
        url: subgraphUrls[name] ?? url,
        fetcher: keepAliveFetch,
        async willSendRequest(options) {
          const { request, context } = options;
          request.http?.headers.set(IDENTITY_HEADER, await context.identity());
          request.http?.headers.set(X_REQUEST_ID, context.request.requestId);
          // What the subgraph's audit trail records about the partner's operation.
          if ('incomingRequestContext' in options) {
            const { operationName, queryHash } = options.incomingRequestContext;
            if (operationName) request.http?.headers.set(OPERATION_NAME_HEADER, operationName);
            if (queryHash) request.http?.headers.set(OPERATION_HASH_HEADER, queryHash);
          }
        },
      }),
      policyOf(name),
    );
}
