import { performance } from 'node:perf_hooks';

/** One kind of request the load sends, over and over. */
export interface LoadRequest {
  kind: string;
  query: string;
  variables?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** APQ: send the query's hash with it, so the gateway's persisted-query store is used too. */
  extensions?: Record<string, unknown>;
}

/** One answer the load got: when it was sent (ms since the load started), how long it took, what came back. */
export interface Sample {
  kind: string;
  at: number;
  ms: number;
  /** HTTP status, 0 when no answer arrived (connection failed, or no answer within 15 s). */
  status: number;
  body:
    | {
        data?: Record<string, any> | null;
        errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
      }
    | undefined;
}

/** A running load: every answer so far, and a way to stop it. */
export interface SteadyLoad {
  readonly samples: Sample[];
  /** Milliseconds since the load started, on the samples' clock. */
  now(): number;
  /** Stops sending and waits for the answers in flight. */
  stop(): Promise<void>;
}

/**
 * Sends `requests` round-robin from `concurrency` workers to `url` until stopped, each worker waiting
 * for its answer before the next: a steady load that a test can break things under.
 */
export function steadyLoad(url: string, requests: readonly LoadRequest[], concurrency = 4): SteadyLoad {
  const started = performance.now();
  const samples: Sample[] = [];
  let running = true;
  let next = 0;
  const worker = async () => {
    while (running) samples.push(await sendSample(url, requests[next++ % requests.length]!, started));
  };
  const workers = Array.from({ length: concurrency }, worker);
  return {
    samples,
    now: () => performance.now() - started,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** Sends `request` to `url` once and says how it went, timed on the clock of a load that started at `started`. */
export async function sendSample(url: string, request: LoadRequest, started: number): Promise<Sample> {
  const at = performance.now() - started;
  let status = 0;
  let body: Sample['body'];
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify({ query: request.query, variables: request.variables, extensions: request.extensions }),
      signal: AbortSignal.timeout(15_000),
    });
    status = response.status;
    body = (await response.json()) as Sample['body'];
  } catch {
    status = 0;
  }
  return { kind: request.kind, at, ms: performance.now() - started - at, status, body };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
