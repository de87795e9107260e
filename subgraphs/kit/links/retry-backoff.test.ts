import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-backoff.ts';

const OPTIONS = { firstMs: 500, maxMs: 60_000 };

describe('retryDelayMs', () => {
  it('doubles from the first wait, drawn from the upper half of each step', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, OPTIONS, () => 1))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, OPTIONS, () => 0))).toEqual([250, 500, 1_000, 2_000]);
  });

  it('never waits longer than the cap, however many attempts failed, so a keeper is retried forever', () => {
    for (const attempts of [8, 9, 50, 10_000]) {
      expect(retryDelayMs(attempts, OPTIONS, () => 1)).toBe(60_000);
      expect(retryDelayMs(attempts, OPTIONS, () => 0)).toBe(30_000);
    }
  });

  it('spreads replicas that failed together', () => {
    const draws = new Set(Array.from({ length: 20 }, () => retryDelayMs(6, OPTIONS)));
    expect(draws.size).toBeGreaterThan(1);
    for (const delay of draws) expect(delay).toBeGreaterThanOrEqual(8_000);
  });
});
