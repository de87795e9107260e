import { describe, expect, it } from 'vitest';
import { memoryTokenBuckets } from './token-bucket.ts';

describe('in-process token buckets (a gateway without REDIS_URL)', () => {
  it('gives the burst, refuses with the wait until one token, refills at the rate', async () => {
    let now = 0;
    const buckets = memoryTokenBuckets(() => now);
    const subject = { key: 's', rule: { perSecond: 2, burst: 3 } };
    for (let i = 0; i < 3; i += 1) expect(await buckets.take([subject])).toEqual({ allowed: true });
    expect(await buckets.take([subject])).toEqual({ allowed: false, retryAfterMs: 500, bucket: 0 });
    now = 500;
    expect(await buckets.take([subject])).toEqual({ allowed: true });
    now = 10_000;
    for (let i = 0; i < 3; i += 1) expect((await buckets.take([subject])).allowed).toBe(true);
    expect((await buckets.take([subject])).allowed).toBe(false);
  });

  it('takes from every bucket or from none, naming the empty one', async () => {
    const buckets = memoryTokenBuckets(() => 0);
    const agency = { key: 'a', rule: { perSecond: 1, burst: 1 } };
    expect(await buckets.take([{ key: 's1', rule: { perSecond: 1, burst: 5 } }, agency])).toEqual({ allowed: true });
    const second = { key: 's2', rule: { perSecond: 1, burst: 5 } };
    expect(await buckets.take([second, agency])).toEqual({ allowed: false, retryAfterMs: 1000, bucket: 1 });
    // The refused request took nothing from the subject's bucket.
    for (let i = 0; i < 5; i += 1) expect((await buckets.take([second])).allowed).toBe(true);
  });
});
