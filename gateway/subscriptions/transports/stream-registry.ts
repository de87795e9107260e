import type { GraphQLError } from 'graphql';
import { tooManySubscriptions } from '../../../lib/errors/index.ts';

/** Why the gateway ends an open stream: each has its coded error and, on a WebSocket, its close code. */
export type Ending = 'expired' | 'slow' | 'shutdown';

/** A connection carrying subscriptions (a WebSocket, or one SSE response), as the registry ends it. */
export interface OpenStream {
  /** Ends the stream with the reason for `ending`; resolves once it is closed, or cut after a grace period. */
  end(ending: Ending): Promise<void>;
}

/** Gives back what {@link StreamRegistry.take} took; calling it again does nothing. */
export type Release = () => void;

/**
 * The subscriptions open in this process: who holds how many (SUBSCRIPTIONS_PER_PARTNER counts a token
 * subject across its connections and both transports) and which streams a shutdown must end.
 */
export class StreamRegistry {
  private readonly partners = new Map<string, number>();
  private readonly streams = new Set<OpenStream>();
  private stopping = false;

  constructor(private readonly perPartner: number) {}

  /** True once {@link StreamRegistry.closeAll} began: new connections and subscriptions are refused. */
  get closing(): boolean {
    return this.stopping;
  }

  /** Takes one of `subject`'s subscriptions, or returns the coded error refusing it. */
  take(subject: string): Release | GraphQLError {
    const held = this.partners.get(subject) ?? 0;
    if (held >= this.perPartner) return tooManySubscriptions('perPartner', this.perPartner);
    this.partners.set(subject, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.partners.get(subject) ?? 1) - 1;
      if (left > 0) this.partners.set(subject, left);
      else this.partners.delete(subject);
    };
  }

  /** Subscriptions `subject` holds now. */
  held(subject: string): number {
    return this.partners.get(subject) ?? 0;
  }

  /** Tracks `stream` until the returned function is called (when it closed). */
  track(stream: OpenStream): () => void {
    this.streams.add(stream);
    return () => void this.streams.delete(stream);
  }

  /** Refuses new streams and ends every open one with the shutdown reason. */
  async closeAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.streams].map((stream) => stream.end('shutdown')));
  }
}

/** setTimeout's longest delay; tokens may live 30 days, so a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `expire` at `expiresAt` (ms since the epoch: the token's `exp` plus the clock tolerance, when the
 * gateway would refuse it on an HTTP request too). Returns the function that cancels it.
 */
export function onExpiry(expiresAt: number | undefined, expire: () => void): () => void {
  if (expiresAt === undefined) return () => undefined;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = expiresAt - Date.now();
    // Never synchronously: the caller finishes opening the stream before it is ended.
    if (wait <= 0) return void (timer = setTimeout(expire, 0));
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
