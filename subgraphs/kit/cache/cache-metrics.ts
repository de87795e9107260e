import { Counter, Gauge, Registry } from 'prom-client';

/** Counters of one subgraph's lookup cache, in the subgraph's metrics registry (or a registry of their own). */
export class CacheMetrics {
  private readonly hits: Counter<'subgraph' | 'entity'>;
  private readonly misses: Counter<'subgraph' | 'entity'>;
  private readonly errors: Counter<'subgraph'>;
  private readonly bypassed: Counter<'subgraph'>;
  private readonly breaker: Gauge<'subgraph'>;

  constructor(
    readonly subgraph: string,
    readonly registry: Registry = new Registry(),
  ) {
    const registers = [registry];
    const perEntity = { labelNames: ['subgraph', 'entity'] as const, registers };
    const perSubgraph = { labelNames: ['subgraph'] as const, registers };
    this.hits = new Counter({
      name: 'liaison_cache_hits_total',
      help: 'Lookups answered from the cache (found or known missing).',
      ...perEntity,
    });
    this.misses = new Counter({ name: 'liaison_cache_misses_total', help: 'Lookups that went to the database.', ...perEntity });
    this.errors = new Counter({ name: 'liaison_cache_errors_total', help: 'Cache commands that failed or timed out.', ...perSubgraph });
    this.bypassed = new Counter({
      name: 'liaison_cache_bypassed_total',
      help: 'Cache calls skipped while the breaker was open.',
      ...perSubgraph,
    });
    this.breaker = new Gauge({ name: 'liaison_cache_breaker_open', help: '1 while Redis is bypassed after a failure.', ...perSubgraph });
    // Present from the start, so that a dashboard sees 0 rather than no series.
    this.errors.inc({ subgraph }, 0);
    this.bypassed.inc({ subgraph }, 0);
    this.breaker.set({ subgraph }, 0);
  }

  hit(entity: string, n: number): void {
    this.hits.inc({ subgraph: this.subgraph, entity }, n);
  }

  miss(entity: string, n: number): void {
    this.misses.inc({ subgraph: this.subgraph, entity }, n);
  }

  /** A Redis command failed or timed out. */
  error(): void {
    this.errors.inc({ subgraph: this.subgraph });
  }

  /** A call skipped Redis because the breaker was open. */
  bypass(): void {
    this.bypassed.inc({ subgraph: this.subgraph });
  }

  setBreakerOpen(open: boolean): void {
    this.breaker.set({ subgraph: this.subgraph }, open ? 1 : 0);
  }

  /** The registry's series in the Prometheus text format (tests read it). */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}
