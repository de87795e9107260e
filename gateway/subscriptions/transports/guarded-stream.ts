import type { ExecutionResult } from 'graphql';

type Step = IteratorResult<ExecutionResult, undefined>;
const DONE: Step = { done: true, value: undefined };

/**
 * The engine's stream as a transport consumes it: `release` runs exactly once however it ends (drained,
 * thrown, returned, or returned before it was ever read), and `return()` ends a pending `next()` at once
 * instead of waiting for the next event, as an async generator's `return()` would.
 */
export function guardedStream(source: AsyncIterable<ExecutionResult>, release: () => void): AsyncGenerator<ExecutionResult, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let stop: (step: Step) => void = () => undefined;
  const stopped = new Promise<Step>((resolve) => (stop = resolve));
  const finish = () => {
    if (finished) return;
    finished = true;
    stop(DONE);
    release();
  };
  const end = async (): Promise<Step> => {
    if (!finished) {
      finish();
      // Not awaited: a generator's return() waits for its pending step, which waits for an event.
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
    return DONE;
  };
  const guarded: AsyncGenerator<ExecutionResult, undefined> = {
    [Symbol.asyncIterator]: () => guarded,
    async next() {
      if (finished) return DONE;
      try {
        const step = await Promise.race([iterator.next() as Promise<Step>, stopped]);
        if (step.done) finish();
        return finished ? DONE : step;
      } catch (error) {
        finish();
        throw error;
      }
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
  };
  return guarded;
}

/** A single result as a stream of one, so that a transport sends it as an event and then completes. */
export async function* streamOf(result: ExecutionResult): AsyncGenerator<ExecutionResult, undefined> {
  yield result;
}
