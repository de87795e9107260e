import type { Caller } from '../lib/authz/principal.ts';

/** Per-request context of the gateway. */
export interface GatewayContext {
  caller: Caller;
  /** The gateway-signed identity for subgraph fetches, signed at most once per request. */
  identity: () => Promise<string>;
}
