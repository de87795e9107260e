import { operationsEndpoints, type Readiness } from '../../../lib/http/operations-endpoints.ts';
import type { Db } from '../db/db.ts';

/** What a subgraph's operations endpoints report on. */
export interface SubgraphEndpointsState {
  db: Db;
  /** Prometheus exposition of the subgraph's metrics. */
  metrics: () => Promise<string>;
  /** The subgraph is stopping: it finishes what it has, and wants no new traffic. */
  draining: () => boolean;
}

/**
 * A subgraph's `/health`, `/ready` and `/metrics`. It is ready while its database answers and it is
 * not stopping (the gateway's own readiness asks this); a database outage does not fail `/health`,
 * since restarting would not help: the pool reconnects by itself.
 */
export function subgraphEndpoints(state: SubgraphEndpointsState) {
  return operationsEndpoints({ readiness: () => readiness(state), metrics: state.metrics });
}

async function readiness(state: SubgraphEndpointsState): Promise<Readiness> {
  if (state.draining()) return { ready: false, body: { status: 'draining' } };
  try {
    await state.db.query('select 1');
    return { ready: true, body: { status: 'ready' } };
  } catch {
    return { ready: false, body: { status: 'unready', reason: 'database' } };
  }
}
