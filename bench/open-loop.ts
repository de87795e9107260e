import { type LoadResult, summarise } from './load.ts';

/** How one open-loop run drives its target. */
export interface OpenLoopOptions {
  /** Calls per second, due on schedule whether or not earlier ones have ended. */
  rate: number;
  /** Calls running at once (the connections of a closed-loop run); the others wait their turn. */
  concurrency: number;
  durationSeconds: number;
  warmupSeconds?: number;
  /** Calls running or waiting at once; a call due beyond it is dropped and counted as an error. */
  maxInFlight?: number;
}

/**
 * Runs `task` at a fixed arrival rate: call i is due at start + i / rate, so a target that falls
 * behind builds a queue, and each latency is measured from when its call was due, not from when it
 * got a slot, so the queueing shows (a closed loop hides it: a slow answer delays the next request).
 * The run sends at most rate × (warm-up + duration) calls and keeps at most `maxInFlight`, so an
 * overloaded target cannot grow the queue without bound. Calls are counted as in {@link drive}: those
 * ending within the measured window, the rest awaited but not counted.
 */
export async function openLoop(task: (i: number, user: number) => Promise<unknown>, options: OpenLoopOptions): Promise<LoadResult> {
  const maxInFlight = options.maxInFlight ?? 1_000;
  const start = performance.now();
  const from = start + (options.warmupSeconds ?? 0) * 1000;
  const to = from + options.durationSeconds * 1000;
  const total = Math.floor(options.rate * ((options.warmupSeconds ?? 0) + options.durationSeconds));
  const latencies = new Float64Array(total);
  let count = 0;
  let errors = 0;
  let firstError: string | undefined;
  let inFlight = 0;
  let running = 0;
  const waiting: (() => void)[] = [];
  const fail = (message: string) => {
    errors += 1;
    firstError ??= message;
  };
  const call = async (i: number, due: number) => {
    if (running < options.concurrency) running += 1;
    else await new Promise<void>((go) => waiting.push(go));
    let failure: string | undefined;
    try {
      await task(i, i);
    } catch (error) {
      failure = (error as Error).message;
    }
    // The slot passes straight to the next waiting call, so no newly due call can jump the queue.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
    inFlight -= 1;
    const end = performance.now();
    if (end < from || end > to) return;
    if (failure !== undefined) fail(failure);
    latencies[count++] = end - due;
  };
  const calls: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000) + 1);
    for (; sent < due; sent += 1) {
      const at = start + (sent * 1000) / options.rate;
      if (inFlight >= maxInFlight) {
        if (at >= from && at <= to) fail(`dropped: ${maxInFlight} calls already in flight`);
        continue;
      }
      inFlight += 1;
      calls.push(call(sent, at));
    }
    // Timers fire late on a busy machine; the calls due meanwhile go out together, each timed from its due time.
    await new Promise((go) => setTimeout(go, 1));
  }
  await Promise.all(calls);
  return summarise(latencies, count, errors, firstError, options.durationSeconds);
}
