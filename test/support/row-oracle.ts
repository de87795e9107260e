import type { Caller } from '../../lib/authz/principal.ts';
import { type SeededKind, type SeedOwnership, seedOwnershipOf } from '../../subgraphs/kit/seed/seed-agencies.ts';
import { SEED_COUNTS } from '../../subgraphs/kit/seed/seed-plan.ts';

/** Who is asking, as far as row rules care: null for an anonymous caller. */
export interface RowViewer {
  agency: string;
  jurisdictions: readonly string[];
}

/** The ownership columns row rules read; the seed releases nothing REFERENCE_ONLY, its owners may. */
export type Ownership = Pick<SeedOwnership, 'owning_agency' | 'jurisdiction' | 'release_jurisdictions' | 'release_agencies'> & {
  release_mode: SeedOwnership['release_mode'] | 'REFERENCE_ONLY';
};

/**
 * The row rules written out in plain TypeScript, independently of the SQL in kit/rows/row-scope.ts, so
 * tests can say which records a caller should see without asking the code under test.
 */
export function canSee(viewer: RowViewer | null, record: Ownership): boolean {
  if (viewer === null) return false;
  if (record.owning_agency === viewer.agency) return true;
  const [country] = record.jurisdiction.split('-');
  const covered = viewer.jurisdictions.includes(record.jurisdiction) || viewer.jurisdictions.includes(country!);
  if (!covered) return false;
  const named = record.release_agencies.includes(viewer.agency) || record.release_jurisdictions.includes(viewer.agency.slice(0, 2));
  switch (record.release_mode) {
    case 'ALL_GRANTED':
      return true;
    case 'ONLY':
      return named;
    case 'EXCEPT':
      return !named;
    case 'OWNER_ONLY':
      return false;
    case 'REFERENCE_ONLY':
      return true;
  }
}

/**
 * Whether `viewer` sees the record as a reference only: its key and reference fields, every other field
 * withheld. The owner always reads its record in full; a viewer that cannot see it gets no reference.
 */
export function seesAsReference(viewer: RowViewer | null, record: Ownership): boolean {
  return record.release_mode === 'REFERENCE_ONLY' && viewer?.agency !== record.owning_agency && canSee(viewer, record);
}

/** The row viewer of a caller: its agency and grants, or null when anonymous. */
export function viewerOf(caller: Caller): RowViewer | null {
  return caller.principal ? { agency: caller.principal.agency, jurisdictions: caller.principal.jurisdictions } : null;
}

/** The 1-based indexes of the demo-seeded records of a kind that `viewer` should see, by the oracle. */
export function visibleSeeded(kind: SeededKind, viewer: RowViewer | null, count = SEED_COUNTS.demo[PLURAL[kind]]): number[] {
  return Array.from({ length: count }, (_, i) => i + 1).filter((index) => canSee(viewer, seedOwnershipOf(kind, index)));
}

const PLURAL = { person: 'persons', property: 'property', case: 'cases' } as const satisfies Record<
  SeededKind,
  keyof (typeof SEED_COUNTS)['demo']
>;
