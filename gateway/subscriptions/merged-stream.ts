import type { ExecutionResult } from 'graphql';
import { encodePosition } from './merged-position.ts';

/** One feed's stream of a merged subscription, and where it started (undefined: the feed was away). */
export interface MergedPart {
  subgraph: string;
  stream: AsyncIterableIterator<ExecutionResult>;
  origin: number | undefined;
}

type Settled = { part: MergedPart; result: IteratorResult<ExecutionResult> } | { part: MergedPart; error: unknown };

/**
 * Several feeds' streams as one subscription, each event handed out as soon as its feed has it (each
 * feed's own order kept) and stamped with the position across all of them, so that resuming from any
 * event id loses nothing in any feed. One part failing or ending ends the whole, with its error.
 */
export class MergedStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly position = new Map<string, number>();
  private readonly waiting = new Map<MergedPart, Promise<Settled>>();
  private ended = false;

  constructor(
    private readonly parts: readonly MergedPart[],
    /** The event with its id fields and `extensions.eventId` set to the merged position. */
    private readonly stamp: (result: ExecutionResult, id: string) => ExecutionResult,
    private readonly release: () => void,
  ) {
    for (const part of parts) if (part.origin !== undefined) this.position.set(part.subgraph, part.origin);
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.ended) return { value: undefined, done: true };
    for (const part of this.parts) {
      if (!this.waiting.has(part)) {
        this.waiting.set(
          part,
          part.stream.next().then(
            (result) => ({ part, result }),
            (error: unknown) => ({ part, error }),
          ),
        );
      }
    }
    const settled = await Promise.race(this.waiting.values());
    this.waiting.delete(settled.part);
    if ('error' in settled) {
      await this.return();
      throw settled.error;
    }
    if (settled.result.done || this.ended) return this.return();
    this.position.set(settled.part.subgraph, Number(settled.result.value.extensions?.eventId));
    return { value: this.stamp(settled.result.value, encodePosition(this.position)), done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.ended) {
      this.ended = true;
      this.release();
      await Promise.all(this.parts.map((part) => part.stream.return?.()));
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
