/**
 * Wakes everyone waiting when a record event commits (a NOTIFY), so open feeds read at once rather
 * than at their next poll; the poll stays, for a listener that is away.
 */
export class CommitSignal {
  private readonly waiters = new Set<() => void>();

  fire(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves at the next commit, after `ms`, or when `signal` aborts, whichever comes first. */
  next(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
