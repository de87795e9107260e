/**
 * A circuit breaker for the cache: after a failure it stays open for `retryAfterMs`, during which
 * callers bypass Redis entirely (no timeouts piling up on every request); then it lets exactly one
 * probe through, which closes it on success or re-opens it on failure.
 */
export class Breaker {
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly retryAfterMs: number,
    private readonly onChange: (open: boolean) => void,
  ) {}

  get open(): boolean {
    return this.openUntil !== 0;
  }

  /** Whether a call may go to Redis now. */
  allow(): boolean {
    if (this.openUntil === 0) return true;
    if (this.probing || Date.now() < this.openUntil) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.probing = false;
    if (this.openUntil === 0) return;
    this.openUntil = 0;
    this.onChange(false);
  }

  failure(): void {
    this.probing = false;
    const wasOpen = this.open;
    this.openUntil = Date.now() + this.retryAfterMs;
    if (!wasOpen) this.onChange(true);
  }
}
