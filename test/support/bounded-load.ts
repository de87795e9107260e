import { performance } from 'node:perf_hooks';
import { type LoadRequest, type Sample, sendSample } from './steady-load.ts';

/** A running load: every answer so far, and a way to stop it before its bounds. */
export interface BoundedLoad {
  readonly samples: Sample[];
  /** Milliseconds since the load started, on the samples' clock. */
  now(): number;
  /** Stops sending and waits for the answers in flight; also what the load does by itself at its bounds. */
  stop(): Promise<void>;
  /** Settles once every worker has stopped (at a bound, or after {@link BoundedLoad.stop}). */
  readonly done: Promise<void>;
}

/** How much load, from how many workers. */
export interface LoadBounds {
  workers: number;
  /** Requests sent in all, at most. */
  maxRequests: number;
  /** No request is sent after this many milliseconds. */
  maxMs: number;
}

/**
 * Sends `requestAt(n)` (n counting from 0 over all workers) to `url` from `workers` workers, each
 * waiting for its answer before the next, until stopped or until a bound is reached.
 */
export function boundedLoad(url: string, requestAt: (n: number) => LoadRequest, bounds: LoadBounds): BoundedLoad {
  const started = performance.now();
  const samples: Sample[] = [];
  let running = true;
  let sent = 0;
  const worker = async () => {
    while (running && sent < bounds.maxRequests && performance.now() - started < bounds.maxMs)
      samples.push(await sendSample(url, requestAt(sent++), started));
  };
  const done = Promise.all(Array.from({ length: bounds.workers }, worker)).then(() => undefined);
  return {
    samples,
    now: () => performance.now() - started,
    done,
    async stop() {
      running = false;
      await done;
    },
  };
}
