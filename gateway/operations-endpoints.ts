import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CircuitBreaker } from '../lib/circuit-breaker.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../lib/prometheus.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { checkSubgraphs } from './subgraph-health.ts';

/** What the operations endpoints report on. */
export interface OperationsState {
  subgraphUrls: Record<string, string>;
  breakers: () => ReadonlyMap<string, CircuitBreaker>;
  metrics: GatewayMetrics;
  /** A supergraph has been loaded and is being served. */
  supergraphLoaded: () => boolean;
  /** The gateway is stopping: it finishes what it has, and wants no new traffic. */
  draining: () => boolean;
}

const json = (res: ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

/**
 * `/health` (liveness: the process is up and serving HTTP; it never asks anyone else, so a subgraph
 * outage never gets the gateway restarted), `/ready` (readiness: a supergraph is loaded, the gateway
 * is not stopping, and every subgraph answers with its breaker not open; 503 names what is not) and
 * `/metrics` (Prometheus). Answers true when it served the request.
 */
export function operationsEndpoints(state: OperationsState) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      json(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/ready') {
      void ready(state, res);
      return true;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(state.metrics.exposition());
      return true;
    }
    return false;
  };
}

async function ready(state: OperationsState, res: ServerResponse): Promise<void> {
  const supergraph = state.supergraphLoaded() ? 'loaded' : 'not_loaded';
  if (state.draining()) return json(res, 503, { status: 'draining', supergraph });
  const { healthy, subgraphs } = await checkSubgraphs(state.subgraphUrls, state.breakers());
  const isReady = healthy && supergraph === 'loaded';
  json(res, isReady ? 200 : 503, { status: isReady ? 'ready' : 'unready', supergraph, subgraphs });
}
