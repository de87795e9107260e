import { describe, expect, it } from 'vitest';
import { fillPattern } from './seed-pattern.ts';
import { Random } from './seed-plan.ts';

describe('fillPattern', () => {
  it('fills letter and digit slots, keeps literals, and repeats itself for the same seed', () => {
    const code = fillPattern('AA-999-AA', new Random(7));
    expect(code).toMatch(/^[A-HJ-NPR-Z]{2}-\d{3}-[A-HJ-NPR-Z]{2}$/);
    expect(fillPattern('AA-999-AA', new Random(7))).toBe(code);
    expect(fillPattern('BER999999Z', new Random(7))).toMatch(/^BER\d{6}Z$/);
  });

  it('gives distinct codes for distinct numbers, even with the random slots varying', () => {
    const random = new Random(3);
    const codes = new Set<string>();
    for (let index = 0; index < 200_000; index += 1) codes.add(fillPattern('A99999999', random, index));
    expect(codes.size).toBe(200_000);
  });

  it('scrambles the numbers, so consecutive records do not get consecutive codes', () => {
    const random = new Random(3);
    expect(fillPattern('999999999', random, 5).slice(3, 8)).not.toBe(fillPattern('999999999', random, 6).slice(3, 8));
  });

  it('refuses a uniqueness request the pattern cannot hold', () => {
    expect(() => fillPattern('AA999', new Random(1), 3)).toThrow(/cannot make 3 unique/);
    expect(() => fillPattern('A99999999', new Random(1), 2_000_000)).toThrow();
  });
});
