import autocannon from 'autocannon';

/** One load run against one endpoint. */
export interface LoadOptions {
  url: string;
  /** GraphQL request body. */
  body: { query: string; variables?: Record<string, unknown> };
  /** Picks each request's body instead of always sending `body` (e.g. Zipf-distributed ids). */
  pickBody?: () => { query: string; variables?: Record<string, unknown> };
  headers: Record<string, string>;
  connections: number;
  durationSeconds: number;
  /** Whether a response is correct; wrong ones count as errors, as k6 checks do. */
  check: (response: { data?: unknown; errors?: unknown[] }) => boolean;
}

/** What one run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p97_5: number;
  p99: number;
  /** Transport errors, non-2xx answers and responses that failed the check. */
  errors: number;
  requests: number;
}

/** Drives `url` with autocannon for the given time and checks every response. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  let wrong = 0;
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.durationSeconds,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(options.body),
    requests: [
      {
        ...(options.pickBody && { setupRequest: (request: Record<string, unknown>) => ({ ...request, body: JSON.stringify(options.pickBody!()) }) }),
        onResponse: (status: number, body: string) => {
          try {
            if (status !== 200 || !options.check(JSON.parse(body))) wrong += 1;
          } catch {
            wrong += 1;
          }
        },
      },
    ],
  } as autocannon.Options);
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p97_5: result.latency.p97_5,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + wrong,
    requests: result.requests.total,
  };
}

/** The run with the median throughput, so one noisy run does not decide a ratio. */
export function median(runs: LoadResult[]): LoadResult {
  return [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond)[Math.floor(runs.length / 2)]!;
}
