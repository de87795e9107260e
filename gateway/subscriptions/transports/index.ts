import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { PartnerVerifier } from '../../auth/index.ts';
import type { FormatError } from '../../feature.ts';
import type { AdmitOperation } from './admit-operation.ts';
import type { SubscriptionEngine } from './engine-contract.ts';
import { sseTransport, wantsSse } from './sse-transport.ts';
import { StreamRegistry } from './stream-registry.ts';
import type { TransportConfig } from './transport-config.ts';
import { wsTransport } from './ws-transport.ts';

export type { AdmitOperation } from './admit-operation.ts';
export { WS_CLOSE, WS_ENDING } from './close-codes.ts';
export { eventIdOf, type SubscriptionEngine, type SubscriptionOutcome, type SubscriptionRequest } from './engine-contract.ts';
export { type TransportConfig, transportConfigOf, transportEnv } from './transport-config.ts';

/** What the transports are built from. */
export interface TransportOptions {
  config: TransportConfig;
  /** MAX_BODY_BYTES: the largest SSE request body, and the largest WebSocket message. */
  maxBodyBytes: number;
  /** Runs each subscription as its caller; tests pass a stand-in. */
  engine: SubscriptionEngine;
  /** The gateway's partner token verifier: subscribers are authenticated as HTTP requests are. */
  verify: PartnerVerifier;
  /** The gateway's error formatter (masking, wrapped by the features), applied to every error a subscriber sees. */
  formatError: FormatError;
  /** The features' admission checks (rate limits, trusted documents), run on each subscription as on each HTTP request. */
  admit: AdmitOperation;
  log: Logger;
}

/** Subscriptions at `/graphql` over WebSocket (`graphql-transport-ws`) and SSE (graphql-sse, distinct connections). */
export interface SubscriptionTransports {
  /** Whether a request to `/graphql` is for SSE (it accepts `text/event-stream`); the rest goes to Apollo. */
  wantsSse(req: IncomingMessage): boolean;
  /** Serves an SSE request. */
  serveSse(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Takes over an HTTP `upgrade` of `/graphql`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Refuses new subscriptions and ends every open stream with a reason clients can act on (WS 1001, SSE SHUTTING_DOWN then `complete`). */
  close(): Promise<void>;
}

/** Builds both transports over one registry of open streams, so that limits count across them and a shutdown ends them all. */
export function subscriptionTransports(options: TransportOptions): SubscriptionTransports {
  const registry = new StreamRegistry(options.config.perPartner);
  const shared = { ...options, registry, format: options.formatError };
  const ws = wsTransport({ ...shared, maxMessageBytes: options.maxBodyBytes });
  const serveSse = sseTransport(shared);
  return {
    wantsSse,
    serveSse,
    upgrade: ws.upgrade,
    async close() {
      await registry.closeAll();
      await ws.close();
    },
  };
}
