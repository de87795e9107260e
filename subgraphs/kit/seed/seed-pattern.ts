import type { Random } from './seed-plan.ts';

/** Letters as identifiers use them: I, O and Q are left out because they read as 1 and 0. */
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const DIGITS = '0123456789';
const ALPHABETS: Record<string, string> = { A: LETTERS, '9': DIGITS, X: LETTERS + DIGITS };

/** Codes made unique by {@link fillPattern} can tell this many numbers apart: more than any seed size. */
const UNIQUE_CAPACITY = 1_000_000;
/** A prime, hence coprime with every slot capacity (made of 2, 3, 5, 11, 23), and far from a multiple of 10^6. */
const SCRAMBLE = 982_451_653;

/**
 * Fills a code pattern: `A` becomes a letter, `9` a digit, `X` either, anything else stays as written
 * ('AA-999-AA' → 'KD-482-TB'). With `unique`, the rightmost slots spell a scrambled form of that
 * number, so distinct numbers give distinct codes (for one pattern shape) that still look random:
 * seeds use it where a unique index would reject a repeat, such as document numbers.
 */
export function fillPattern(pattern: string, random: Random, unique?: number): string {
  const chars = [...pattern];
  const slots = chars.flatMap((char, index) => (ALPHABETS[char] ? [index] : []));
  let remaining =
    unique === undefined
      ? undefined
      : uniqueValue(
          unique,
          slots.map((index) => ALPHABETS[chars[index]!]!.length),
        );
  for (const index of slots.reverse()) {
    const alphabet = ALPHABETS[chars[index]!]!;
    if (remaining !== undefined && remaining.capacity > 1) {
      chars[index] = alphabet[remaining.value % alphabet.length]!;
      remaining = { value: Math.floor(remaining.value / alphabet.length), capacity: remaining.capacity / alphabet.length };
    } else {
      chars[index] = alphabet[Math.floor(random.next() * alphabet.length)]!;
    }
  }
  return chars.join('');
}

/** The scrambled number and the capacity of the rightmost slots that will hold it. */
function uniqueValue(unique: number, radices: number[]): { value: number; capacity: number } {
  let capacity = 1;
  for (let slot = radices.length - 1; slot >= 0 && capacity < UNIQUE_CAPACITY; slot -= 1) capacity *= radices[slot]!;
  if (capacity < UNIQUE_CAPACITY || !Number.isInteger(unique) || unique < 0 || unique >= UNIQUE_CAPACITY) {
    throw new Error(`cannot make ${unique} unique within this pattern`);
  }
  // Multiplying by a number coprime with the capacity permutes 0..capacity-1: distinct in, distinct out.
  return { value: (unique * SCRAMBLE) % capacity, capacity };
}
