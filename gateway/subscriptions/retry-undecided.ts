import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, eventUndecided } from '../../lib/errors/index.ts';
import { type Backoff, delay } from './shared-feed.ts';

/** Codes that say a lookup could not decide whether the subscriber may see the record, rather than that it may not. */
const TRANSIENT: ReadonlySet<unknown> = new Set([ErrorCode.SubgraphUnavailable, ErrorCode.DatabaseUnavailable]);

/** A record lookup that failed for a reason that may pass; `subgraph` names what was away, when known. */
export class UndecidedEvent extends Error {
  constructor(readonly subgraph: string | undefined) {
    super('record lookup failed transiently');
  }
}

/** The first transient failure among a lookup's errors, or undefined when none is. */
export function undecided(errors: readonly GraphQLFormattedError[] | undefined): UndecidedEvent | undefined {
  const error = errors?.find((candidate) => TRANSIENT.has(candidate.extensions?.code));
  if (!error) return undefined;
  const subgraph = error.extensions?.subgraph;
  return new UndecidedEvent(typeof subgraph === 'string' ? subgraph : undefined);
}

/**
 * Runs `attempt` until it decides, waiting by `backoff` between tries, at most `retries` times more. A
 * skipped event would be lost to the subscriber for good, so an event still undecided ends the stream
 * with a coded error (see {@link eventUndecided}) and the subscriber resumes from before it.
 */
export async function retryUndecided<T>(attempt: () => Promise<T>, backoff: Backoff, retries: number, signal: AbortSignal): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof UndecidedEvent)) throw error;
      if (failures >= retries || signal.aborted) throw eventUndecided(error.subgraph);
    }
    await delay(Math.min(backoff.maxMs, backoff.initialMs * 2 ** failures), signal);
  }
}
