import type { Dispatcher } from 'undici';
import type { CircuitBreaker } from '../../lib/resilience/index.ts';
import { operationsEndpoints as endpoints, type Readiness } from '../../lib/http/operations-endpoints.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { checkSubgraphs } from '../upstream/subgraph-health.ts';

/**
 * How long `/ready` waits for the subgraphs' own `/ready`: under the one second a Kubernetes probe
 * waits by default, so a subgraph that hangs cannot make the gateway's probe time out (which would
 * count as unready); a subgraph silent that long is reported `down`.
 */
const SUBGRAPH_PROBE_MS = 500;

/** What the gateway's operations endpoints report on. */
export interface OperationsState {
  /** Name and routing URL of each subgraph of the supergraph being served. */
  subgraphUrls: () => Record<string, string>;
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
 * reach the pod directly (see {@link readiness}).
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

/**
 * Ready while a supergraph is loaded and the gateway is not stopping: what it needs of its own. Its
 * keys are loaded before it listens, and Redis is optional (without it, or while it is down, it
 * answers from memory), so neither is asked. Subgraphs are reported, never a reason to be unready:
 * the gateway answers around one that is down, and since every replica sees the same outage, making
 * them unready would take all of them out of service for one agency's outage.
 */
async function readiness(state: OperationsState): Promise<Readiness> {
  const supergraph = state.supergraphLoaded() ? 'loaded' : 'not_loaded';
  if (state.draining()) return { ready: false, body: { status: 'draining', supergraph } };
  const { subgraphs } = await checkSubgraphs(state.subgraphUrls(), state.breakers(), SUBGRAPH_PROBE_MS, state.subgraphPool);
  state.metrics.subgraphStates(subgraphs);
  const ready = supergraph === 'loaded';
  return { ready, body: { status: ready ? 'ready' : 'unready', supergraph, subgraphs } };
}
