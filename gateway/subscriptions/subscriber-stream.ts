import type { ExecutionResult, GraphQLError } from 'graphql';
import { eventsMissed, queuedTooLong } from '../../lib/errors/index.ts';
import type { FeedListener } from './shared-feed.ts';
import type { RecordEvent } from './record-event.ts';

/** What one subscriber's stream is built from. */
export interface SubscriberOptions {
  /** Whether the event concerns this subscription at all (entity and filter, on metadata alone). */
  wanted(event: RecordEvent): boolean;
  /** The event as this subscriber may see it, or undefined to deliver nothing about it. */
  resolve(event: RecordEvent): Promise<ExecutionResult | undefined>;
  /** Events waiting (to be resolved, or resolved and not yet read) beyond which the stream is cut (SUBSCRIPTION_MAX_QUEUE). */
  maxQueue: number;
  /** Seq to start after (a resumed subscription); events at or before it are never delivered again. */
  after: number | undefined;
  /** Stops listening to the feeds; runs once, however the stream ends. */
  release(): void;
}

/**
 * One subscriber's events in seq order: each event seen once (a resumed subscriber hears the same seqs
 * from its catch-up read and from the live feed), resolved one at a time, and handed out as the reader
 * asks. A reader that falls `maxQueue` events behind is cut with SLOW_CONSUMER instead of holding memory.
 */
export class SubscriberStream implements AsyncIterableIterator<ExecutionResult> {
  private lastSeq: number | undefined;
  private readonly pending: RecordEvent[] = [];
  private readonly ready: ExecutionResult[] = [];
  private resolving = false;
  private ended: { error?: GraphQLError } | undefined;
  private waiter: (() => void) | undefined;
  /** While a resumed subscriber catches up: live events held until the catch-up read reaches them. */
  private live: RecordEvent[] | undefined;

  constructor(private readonly options: SubscriberOptions) {
    this.lastSeq = options.after;
    if (options.after !== undefined) this.live = [];
  }

  /** The live feed's side of this subscriber. */
  readonly liveListener: FeedListener = {
    event: (event) => {
      if (!this.live) return this.offer(event);
      this.live.push(event);
      if (this.lastSeq !== undefined && this.lastSeq >= event.seq) this.caughtUp();
      else if (this.live.length > this.options.maxQueue) this.fail(queuedTooLong(this.options.maxQueue), true);
    },
    missed: () => this.fail(eventsMissed(), false),
  };

  /** Whether the catch-up read is still wanted: it ends once the live feed has taken over. */
  get catchingUp(): boolean {
    return this.live !== undefined && !this.ended;
  }

  /** The catch-up read's side: events from the resume position on, until they meet the live feed's. */
  catchUpEvent(event: RecordEvent): void {
    if (!this.live) return;
    this.offer(event);
    if (this.live.length > 0 && event.seq >= this.live[0]!.seq) this.caughtUp();
  }

  catchUpMissed(): void {
    this.fail(eventsMissed(), false);
  }

  private caughtUp(): void {
    const held = this.live ?? [];
    this.live = undefined;
    for (const event of held) this.offer(event);
  }

  private offer(event: RecordEvent): void {
    if (this.ended || (this.lastSeq !== undefined && event.seq <= this.lastSeq)) return;
    this.lastSeq = event.seq;
    if (!this.options.wanted(event)) return;
    this.pending.push(event);
    if (this.pending.length + this.ready.length > this.options.maxQueue) return this.fail(queuedTooLong(this.options.maxQueue), true);
    void this.drain();
  }

  /** Resolves waiting events one at a time, so results keep seq order whatever each lookup takes. */
  private async drain(): Promise<void> {
    if (this.resolving) return;
    this.resolving = true;
    try {
      for (let event = this.pending.shift(); event && !this.ended; event = this.pending.shift()) {
        // An event that cannot be resolved ends the stream before it: skipping it would lose it, and
        // the subscriber resumes from the last event it received. The transport masks what is not coded.
        const result = await this.options.resolve(event).catch((error: unknown) => this.fail(error as GraphQLError, false));
        if (result && !this.ended) {
          this.ready.push(result);
          this.wake();
        }
      }
    } finally {
      this.resolving = false;
    }
  }

  /** Ends the stream with `error`; `now` drops what the reader has not taken (it is behind and resumes by id anyway). */
  fail(error: GraphQLError, now: boolean): void {
    if (this.ended) return;
    this.ended = { error };
    this.pending.length = 0;
    if (now) this.ready.length = 0;
    this.options.release();
    this.wake();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      const result = this.ready.shift();
      if (result) return { value: result, done: false };
      if (this.ended) {
        const { error } = this.ended;
        this.ended = {};
        if (error) throw error;
        return { value: undefined, done: true };
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.ended) this.options.release();
    this.ended = {};
    this.ready.length = 0;
    this.pending.length = 0;
    this.wake();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
