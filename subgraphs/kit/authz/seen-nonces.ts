/** Nonces remembered at once; past it, the oldest half is forgotten (their tokens expire within seconds anyway). */
const MAX_REMEMBERED = 200_000;

/**
 * The identity nonces this process has accepted, each until its token would be refused anyway, so a
 * second use within the lifetime is caught. Per process: replicas of one subgraph do not share it,
 * which is why identities also bind the request id and live only 30 s.
 */
export class SeenNonces {
  private readonly until = new Map<string, number>();
  private lastSweep = Date.now();

  /** Whether `nonce` is new (and now remembered until `acceptedUntilMs`); false for a replay. */
  claim(nonce: string, acceptedUntilMs: number): boolean {
    const now = Date.now();
    const known = this.until.get(nonce);
    if (known !== undefined && known >= now) return false;
    if (now - this.lastSweep > 5_000 || this.until.size >= MAX_REMEMBERED) this.sweep(now);
    this.until.set(nonce, acceptedUntilMs);
    return true;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [nonce, until] of this.until) if (until < now) this.until.delete(nonce);
    if (this.until.size < MAX_REMEMBERED) return;
    let drop = this.until.size / 2;
    for (const nonce of this.until.keys()) {
      if (drop-- <= 0) break;
      this.until.delete(nonce);
    }
  }
}
