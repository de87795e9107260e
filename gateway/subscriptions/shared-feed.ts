import type { Logger } from '../../lib/observability/logger.ts';
import type { FeedReader } from './feed-client.ts';
import type { RecordEvent } from './record-event.ts';

/** Someone listening to a feed: every event in seq order, or once that events were lost. */
export interface FeedListener {
  event(event: RecordEvent): void;
  missed(): void;
}

/** Reconnection delays: doubling from the first, capped. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/**
 * One upstream connection to one subgraph's feed, shared by every subscriber of this gateway process:
 * opened when the first listener arrives, closed when the last leaves, and reopened after a drop from
 * the last seq seen, with backoff, so a subgraph restart loses nothing for the listeners.
 */
export class SharedFeed {
  private readonly listeners = new Set<FeedListener>();
  private abort: AbortController | undefined;
  /**
   * The last seq seen, or where the first read started ("now", as subscribers without a position expect,
   * told by the feed): a reconnection resumes after it, so events committed while it was down are not lost.
   */
  private lastSeq: number | undefined;
  /** The first position this run of the feed knew: where a listener added before then starts. */
  private startedAt: number | undefined;

  constructor(
    private readonly subgraph: string,
    private readonly read: FeedReader,
    private readonly backoff: Backoff,
    private readonly log: Logger,
  ) {}

  /** Waiters for {@link SharedFeed.positioned}. */
  private readonly positionWaiters = new Set<() => void>();

  add(listener: FeedListener): void {
    this.listeners.add(listener);
    if (!this.abort) this.start();
  }

  /**
   * Resolves once the feed knows where it stands (told "now", or an event seen), or after `ms`: a
   * subscription handed out after it hears every event committed from then on; one handed out on the
   * timeout (the subgraph is away) starts wherever the feed first finds itself.
   */
  positioned(ms: number): Promise<void> {
    if (this.lastSeq !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.positionWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.positionWaiters.add(done);
    });
  }

  /** The last seq seen or told, which a listener added now hears every event after; undefined until the feed knows. */
  get at(): number | undefined {
    return this.lastSeq;
  }

  /** Where this run of the feed started: a listener added before it knew hears every event after it. */
  get origin(): number | undefined {
    return this.startedAt;
  }

  private position(seq: number): void {
    if (this.lastSeq === undefined) this.startedAt = seq;
    this.lastSeq ??= seq;
    for (const done of [...this.positionWaiters]) done();
  }

  remove(listener: FeedListener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) this.stop();
  }

  stop(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.lastSeq = undefined;
    this.startedAt = undefined;
  }

  private start(): void {
    const abort = (this.abort = new AbortController());
    void this.run(abort.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let end;
      try {
        end = await this.read(
          this.lastSeq,
          signal,
          (event) => {
            failures = 0;
            // A reconnection may repeat the last event; listeners get each seq once.
            if (this.lastSeq !== undefined && event.seq <= this.lastSeq) return;
            // Before its first event the feed stood just ahead of it.
            this.position(event.seq - 1);
            this.lastSeq = event.seq;
            for (const listener of [...this.listeners]) listener.event(event);
          },
          (seq) => this.position(seq),
        );
      } catch (error) {
        if (signal.aborted) return;
        this.log.warn({ subgraph: this.subgraph, err: error, after: this.lastSeq }, 'record-event feed unavailable; reconnecting');
        end = 'closed' as const;
        failures++;
      }
      if (signal.aborted) return;
      if (end === 'missed') {
        this.log.warn({ subgraph: this.subgraph, after: this.lastSeq }, 'record-event feed lost events past its retention');
        const listeners = [...this.listeners];
        this.listeners.clear();
        this.stop();
        for (const listener of listeners) listener.missed();
        return;
      }
      await delay(Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.max(0, failures - 1)), signal);
    }
  }
}

/** Waits `ms`, or less when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
