import type { Caller } from '../lib/authz/principal.ts';
import type { RequestRecord } from './observability/request-observer.ts';
import type { SubgraphIdentities } from './upstream/subgraph-identities.ts';

/** Per-request context of the gateway. */
export interface GatewayContext {
  caller: Caller;
  /** The gateway-signed identities this request presents its caller with to the subgraphs. */
  identities: SubgraphIdentities;
  /** The request's ids, the hash of the document the partner sent, and what the request log line will say about it. */
  request: RequestRecord;
}
