import type { Dispatcher } from 'undici';
import type { CircuitBreaker } from '../../lib/resilience/index.ts';
import { operationsEndpoints as endpoints, type Readiness } from '../../lib/http/operations-endpoints.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { checkSubgraphs } from '../upstream/subgraph-health.ts';

/** What the gateway's operations endpoints report on. */
export interface OperationsState {
  subgraphUrls: Record<string, string>;
  /** The pool subgraph calls go through, so readiness probes trust the same CA (SUBGRAPH_CA_FILE). */
  subgraphPool?: Dispatcher;
  breakers: () => ReadonlyMap<string, CircuitBreaker>;
  metrics: GatewayMetrics;
  /** A supergraph has been loaded and is being served. */
  supergraphLoaded: () => boolean;
  /** The gateway is stopping: it finishes what it has, and wants no new traffic. */
  draining: () => boolean;
}

/**
 * The gateway's operational port (OPS_PORT): `/metrics`, and `/health` and `/ready` for probes that
 * reach the pod directly. It is ready when a supergraph is loaded, it is not stopping, and every
 * subgraph answers with its breaker not open; 503 names what is not.
 */
export function operationsEndpoints(state: OperationsState) {
  return endpoints({ readiness: () => readiness(state), metrics: () => state.metrics.exposition() });
}

/**
 * `/health` and `/ready` on the partners' port, for load balancers that check the port they send
 * traffic to. Never `/metrics`: it answers the shell's 404 there.
 */
export function probeEndpoints(state: OperationsState) {
  return endpoints({ readiness: () => readiness(state) });
}

async function readiness(state: OperationsState): Promise<Readiness> {
  const supergraph = state.supergraphLoaded() ? 'loaded' : 'not_loaded';
  if (state.draining()) return { ready: false, body: { status: 'draining', supergraph } };
  const { healthy, subgraphs } = await checkSubgraphs(state.subgraphUrls, state.breakers(), undefined, state.subgraphPool);
  const ready = healthy && supergraph === 'loaded';
  return { ready, body: { status: ready ? 'ready' : 'unready', supergraph, subgraphs } };
}
