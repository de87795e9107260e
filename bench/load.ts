import { Pool } from 'undici';

/** What one run measured; latencies in milliseconds. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Failed or wrong answers (transport errors, non-200, GraphQL errors, wrong data). */
  errors: number;
  requests: number;
  /** The first failure's message, so a table with errors says why. */
  firstError?: string;
}

/** How long and how hard one run drives its target. */
export interface DriveOptions {
  /** Requests in flight at once (closed loop: each starts when the previous one on its slot ends). */
  concurrency: number;
  durationSeconds: number;
  /** Unmeasured run first, so plan caches, connection pools and the JIT are warm. */
  warmupSeconds?: number;
}

/**
 * Runs `task` from `concurrency` loops (workers, each a user): first the warm-up, then the measured
 * run with no pause between them, so the load is steady when measuring starts. Every call that ends
 * within the measured window counts, with its latency; a call that throws counts as an error. Calls
 * still in flight at the end are awaited (so the next run starts on a quiet machine) but not counted.
 * Latencies come from `performance.now()` (microsecond resolution, where autocannon's histogram
 * rounds to whole milliseconds and so cannot tell 1.4 ms from 1.6 ms), and one driver serves both
 * gateways and the multi-request direct joins, so they are measured alike.
 */
export async function drive(task: (i: number, worker: number) => Promise<unknown>, options: DriveOptions): Promise<LoadResult> {
  let latencies = new Float64Array(16_384);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const from = performance.now() + (options.warmupSeconds ?? 0) * 1000;
  const to = from + options.durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      while (performance.now() < to) {
        const begin = performance.now();
        let failure: string | undefined;
        try {
          await task(next++, worker);
        } catch (error) {
          failure = (error as Error).message;
        }
        const end = performance.now();
        if (end < from || end > to) continue;
        if (failure !== undefined) {
          errors += 1;
          firstError ??= failure;
        }
        if (count === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[count++] = end - begin;
      }
    }),
  );
  return summarise(latencies, count, errors, firstError, options.durationSeconds);
}

/** Throughput and percentiles of the first `count` latencies, measured over `durationSeconds`. */
export function summarise(
  latencies: Float64Array,
  count: number,
  errors: number,
  firstError: string | undefined,
  durationSeconds: number,
): LoadResult {
  const sorted = latencies.subarray(0, count).sort();
  const at = (q: number) => (count === 0 ? 0 : Number(sorted[Math.min(count - 1, Math.floor(q * count))]!.toFixed(2)));
  return {
    requestsPerSecond: count / durationSeconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors,
    requests: count,
    ...(firstError && { firstError }),
  };
}

/** The run with the median throughput, so one noisy round does not decide a ratio. */
export function median<R extends LoadResult>(runs: R[]): R {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)]!;
}

/** Keep-alive HTTP to one GraphQL endpoint, with as many connections as the benchmark's concurrency. */
export class GraphqlEndpoint {
  private readonly pool: Pool;
  private readonly path: string;

  constructor(
    readonly url: string,
    connections: number,
  ) {
    const parsed = new URL(url);
    this.pool = new Pool(parsed.origin, { connections, keepAliveTimeout: 60_000, pipelining: 1 });
    this.path = parsed.pathname + parsed.search;
  }

  /** Posts one operation; resolves with the status and body text. */
  async post(body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const response = await this.pool.request({ method: 'POST', path: this.path, headers, body });
    return { status: response.statusCode, text: await response.body.text() };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
