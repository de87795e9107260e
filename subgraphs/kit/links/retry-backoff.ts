/** How a relay spaces the attempts of a notification its keeper did not take. */
export interface BackoffOptions {
  /** The wait after the first failed attempt. */
  firstMs: number;
  /** The longest wait: the keeper is retried at least this often, forever. */
  maxMs: number;
}

/**
 * The wait after `attempts` failed attempts: doubling from `firstMs`, capped at `maxMs`, and drawn from its
 * upper half so that replicas (and records) that failed together do not retry in step.
 */
export function retryDelayMs(attempts: number, { firstMs, maxMs }: BackoffOptions, random: () => number = Math.random): number {
  const capped = Math.min(maxMs, firstMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30));
  return Math.round(capped / 2 + (random() * capped) / 2);
}
