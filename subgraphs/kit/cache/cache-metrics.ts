/**
 * Counters of one subgraph's lookup cache, exposed at `/metrics` in the Prometheus text format
 * (written by hand: five series do not justify a client library).
 */
export class CacheMetrics {
  private readonly hits = new Map<string, number>();
  private readonly misses = new Map<string, number>();
  private errors = 0;
  private bypassed = 0;
  private breakerOpen = false;

  constructor(readonly subgraph: string) {}

  hit(entity: string, n: number): void {
    this.hits.set(entity, (this.hits.get(entity) ?? 0) + n);
  }

  miss(entity: string, n: number): void {
    this.misses.set(entity, (this.misses.get(entity) ?? 0) + n);
  }

  /** A Redis command failed or timed out. */
  error(): void {
    this.errors += 1;
  }

  /** A call skipped Redis because the breaker was open. */
  bypass(): void {
    this.bypassed += 1;
  }

  setBreakerOpen(open: boolean): void {
    this.breakerOpen = open;
  }

  exposition(): string {
    const subgraph = `subgraph="${this.subgraph}"`;
    const perEntity = (counts: Map<string, number>) => [...counts].map(([entity, n]) => `{${subgraph},entity="${entity}"} ${n}`);
    const series = (name: string, type: string, help: string, samples: string[]) =>
      [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples.map((sample) => `${name}${sample}`)].join('\n');
    return (
      [
        series('liaison_cache_hits_total', 'counter', 'Lookups answered from the cache (found or known missing).', perEntity(this.hits)),
        series('liaison_cache_misses_total', 'counter', 'Lookups that went to the database.', perEntity(this.misses)),
        series('liaison_cache_errors_total', 'counter', 'Cache commands that failed or timed out.', [`{${subgraph}} ${this.errors}`]),
        series('liaison_cache_bypassed_total', 'counter', 'Cache calls skipped while the breaker was open.', [
          `{${subgraph}} ${this.bypassed}`,
        ]),
        series('liaison_cache_breaker_open', 'gauge', '1 while Redis is bypassed after a failure.', [
          `{${subgraph}} ${this.breakerOpen ? 1 : 0}`,
        ]),
      ].join('\n') + '\n'
    );
  }
}
