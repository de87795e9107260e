import { z } from 'zod';

/** How much demo data a subgraph seeds into an empty database. */
export const seedSizeSchema = z.enum(['demo', 'large', 'xlarge', 'none']);
export type SeedSize = z.infer<typeof seedSizeSchema>;

/**
 * Record counts per seed size. Every subgraph derives the same counts and ids from this plan, so
 * cross-subgraph references (a case's subjects and property) point at records that exist.
 */
export const SEED_COUNTS: Record<Exclude<SeedSize, 'none'>, { persons: number; property: number; cases: number }> = {
  demo: { persons: 400, property: 1_200, cases: 200 },
  large: { persons: 100_000, property: 500_000, cases: 50_000 },
  // Ten times the wanted persons of `large`: how lookups and searches grow with the register's size.
  xlarge: { persons: 1_000_000, property: 500_000, cases: 50_000 },
};

/** The property kinds, in the order {@link propertyKindOf} cycles through them. */
export const PROPERTY_KINDS = [
  'VEHICLE',
  'VEHICLE',
  'VEHICLE',
  'VEHICLE',
  'VEHICLE',
  'TRAVEL_DOCUMENT',
  'TRAVEL_DOCUMENT',
  'FIREARM',
  'FIREARM',
  'ARTWORK',
] as const;
export type PropertyKind = (typeof PROPERTY_KINDS)[number];
const KIND_LETTER: Record<PropertyKind, string> = { VEHICLE: 'V', TRAVEL_DOCUMENT: 'D', FIREARM: 'F', ARTWORK: 'A' };

/** NCIC-style record id: one letter and nine digits. */
export function recordId(letter: string, index: number): string {
  return `${letter}${String(index).padStart(9, '0')}`;
}

/** The id of the n-th seeded wanted person (1-based). */
export const personId = (index: number): string => recordId('W', index);

/** The kind of the n-th seeded property item (1-based). */
export const propertyKindOf = (index: number): PropertyKind => PROPERTY_KINDS[index % PROPERTY_KINDS.length]!;

/** The id of the n-th seeded property item (1-based); its letter says its kind. */
export const propertyId = (index: number): string => recordId(KIND_LETTER[propertyKindOf(index)], index);

/** A small deterministic PRNG (mulberry32): the same seed gives the same data on every machine. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  /** A date between two years, as 'YYYY-MM-DD'. */
  date(fromYear: number, toYear: number): string {
    const from = Date.UTC(fromYear, 0, 1);
    const to = Date.UTC(toYear, 11, 31);
    return new Date(from + Math.floor(this.next() * (to - from))).toISOString().slice(0, 10);
  }
}
