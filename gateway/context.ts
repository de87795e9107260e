import type { Caller } from '../lib/authz/principal.ts';
import type { RequestRecord } from './observability/request-observer.ts';

/** Per-request context of the gateway. */
export interface GatewayContext {
  caller: Caller;
  /** The gateway-signed identity for subgraph fetches, signed at most once per request. */
  identity: () => Promise<string>;
  /** The request's ids, the hash of the document the partner sent, and what the request log line will say about it. */
  request: RequestRecord;
}
