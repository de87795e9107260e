import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '../../lib/prometheus.ts';
import type { Db } from './db.ts';

/** What a subgraph's operations endpoints report on. */
export interface SubgraphEndpointsState {
  db: Db;
  /** Prometheus exposition of the subgraph's metrics. */
  metrics: () => string;
  /** The subgraph is stopping: it finishes what it has, and wants no new traffic. */
  draining: () => boolean;
}

const json = (res: ServerResponse, status: number, body: unknown) => void res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

/**
 * `/health` (liveness: the process serves HTTP; a database outage is not a reason to restart it, the
 * pool reconnects by itself), `/ready` (readiness: its database answers and it is not stopping; the
 * gateway's own readiness asks this) and `/metrics`. Answers true when it served the request.
 */
export function subgraphEndpoints(state: SubgraphEndpointsState) {
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
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(state.metrics());
      return true;
    }
    return false;
  };
}

async function ready(state: SubgraphEndpointsState, res: ServerResponse): Promise<void> {
  if (state.draining()) return json(res, 503, { status: 'draining' });
  try {
    await state.db.query('select 1');
    json(res, 200, { status: 'ready' });
  } catch {
    json(res, 503, { status: 'unready', reason: 'database' });
  }
}
