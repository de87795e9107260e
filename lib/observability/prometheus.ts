/** Label values of one series, e.g. `{ subgraph: 'wanted-persons' }`. */
export type Labels = Record<string, string>;

interface Metric {
  exposition(): string[];
}

const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels): string => {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escape(value)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
};
/** One key per label set; label order is fixed by the caller, so equal sets give equal keys. */
const keyOf = (labels: Labels): string => JSON.stringify(labels);

/** A counter per label set. */
export class Counter implements Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    private readonly name: string,
    private readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  exposition(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values.values()].map(({ labels, value }) => `${this.name}${labelText(labels)} ${value}`),
    ];
  }
}

/** A gauge whose samples are read when scraped, so it never goes stale. */
export class Gauge implements Metric {
  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly read: () => { labels: Labels; value: number }[],
  ) {}

  exposition(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      ...this.read().map(({ labels, value }) => `${this.name}${labelText(labels)} ${value}`),
    ];
  }
}

/** A histogram of durations in seconds per label set. */
export class Histogram implements Metric {
  private readonly values = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    private readonly name: string,
    private readonly help: string,
    private readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, seconds: number): void {
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, index) => {
      if (seconds <= bound) entry.counts[index]! += 1;
    });
    entry.sum += seconds;
    entry.count += 1;
    this.values.set(key, entry);
  }

  exposition(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.values.values()) {
      this.buckets.forEach((bound, index) =>
        lines.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[index]}`),
      );
      lines.push(
        `${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`,
        `${this.name}_sum${labelText(labels)} ${sum}`,
        `${this.name}_count${labelText(labels)} ${count}`,
      );
    }
    return lines;
  }
}

/** Latency buckets from 5 ms to 30 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/**
 * The metrics of one process in the Prometheus text format, written by hand: a handful of series
 * does not justify a client library.
 */
export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  register<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }

  exposition(): string {
    return `${this.metrics.flatMap((metric) => metric.exposition()).join('\n')}\n`;
  }
}

/** The content type of {@link MetricsRegistry.exposition}. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4';
