import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS, metricsText, serviceRegistry } from '../../../lib/observability/metrics-registry.ts';
import type { Db } from '../db/db.ts';

/**
 * A subgraph's Prometheus metrics, served at its `/metrics` (reached by operators inside the
 * network, never by partners): its requests, its PostgreSQL pool, and, registered into the same
 * registry by the lookup cache, the cache's counters.
 */
export class SubgraphMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'subgraph' | 'status'>;
  private readonly duration: Histogram<'subgraph'>;

  constructor(
    private readonly subgraph: string,
    db: Db,
  ) {
    this.registry = serviceRegistry(subgraph);
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'liaison_subgraph_requests_total',
      help: 'GraphQL requests this subgraph answered, by HTTP status.',
      labelNames: ['subgraph', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'liaison_subgraph_request_duration_seconds',
      help: 'Time this subgraph took to answer a GraphQL request.',
      labelNames: ['subgraph'],
      buckets: [...LATENCY_BUCKETS],
      registers,
    });
    if (db.poolStats) {
      const stats = db.poolStats.bind(db);
      new Gauge({
        name: 'liaison_db_pool_connections',
        help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one.',
        labelNames: ['subgraph', 'state'],
        registers,
        collect() {
          for (const [state, value] of Object.entries(stats())) this.set({ subgraph, state }, value);
        },
      });
    }
  }

  /** Counts and times one `/graphql` request once its response is written (or cut short). */
  observe(req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void> {
    const started = performance.now();
    let counted = false;
    const count = () => {
      if (counted) return;
      counted = true;
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      this.requests.inc({ subgraph: this.subgraph, status });
      this.duration.observe({ subgraph: this.subgraph }, (performance.now() - started) / 1000);
    };
    res.once('finish', count);
    res.once('close', count);
    return handle();
  }

  exposition(): Promise<string> {
    return metricsText(this.registry);
  }
}
