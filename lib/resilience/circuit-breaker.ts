/** Where a {@link CircuitBreaker} stands: calls go through, are refused, or one trial call may go. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the breaker (1: the first failure opens it). */
  failureThreshold: number;
  /** How long an open breaker refuses calls before it lets one trial call through. */
  openMs: number;
  /** Told of every state change, e.g. to log it and set a gauge. */
  onChange?: (state: BreakerState, previous: BreakerState) => void;
  /** The clock, replaceable in tests. */
  now?: () => number;
}

/**
 * A circuit breaker: after `failureThreshold` failures in a row it opens and callers fail fast (no
 * timeouts piling up on every request) for `openMs`; then it is half-open and lets exactly one trial
 * call through, which closes it on success or opens it again on failure.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = 'closed';
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The state as of now: an open breaker whose time is up reads as half-open. */
  get state(): BreakerState {
    return this.current === 'open' && this.now() - this.openedAt >= this.options.openMs ? 'half_open' : this.current;
  }

  /** Whether a call may go now; in half-open state only the first asker is let through, as the trial. */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'half_open' || this.now() - this.openedAt < this.options.openMs) return false;
    this.set('half_open');
    return true;
  }

  success(): void {
    this.failures = 0;
    if (this.current !== 'closed') this.set('closed');
  }

  failure(): void {
    this.failures += 1;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.openedAt = this.now();
      this.set('open');
    } else if (this.current === 'open') {
      // A call let through before the breaker opened has failed too: the window starts again.
      this.openedAt = this.now();
    }
  }

  /** The trial call ended without telling whether the other side works: the next caller tries again. */
  abandon(): void {
    if (this.current === 'half_open') this.current = 'open';
  }

  private set(state: BreakerState): void {
    const previous = this.current;
    this.current = state;
    this.options.onChange?.(state, previous);
  }
}
