import { Random } from './seed-plan.ts';

/** A demo agency: code (ORI-like), home jurisdiction, regions it works in, and its system of record. */
export interface DemoAgency {
  code: string;
  name: string;
  country: string;
  regions: readonly string[];
  sourceSystem: string;
}

/** Demo agencies across several countries; codes are 9 characters, jurisdictions ISO 3166. */
export const DEMO_AGENCIES: readonly DemoAgency[] = [
  { code: 'FRPN00001', name: 'Police nationale', country: 'FR', regions: ['FR-IDF', 'FR-PAC', 'FR-ARA'], sourceSystem: 'FPR' },
  { code: 'FRGN00001', name: 'Gendarmerie nationale', country: 'FR', regions: ['FR-BRE', 'FR-OCC'], sourceSystem: 'FPR' },
  { code: 'DEBKA0001', name: 'Bundeskriminalamt', country: 'DE', regions: ['DE-BY', 'DE-BE', 'DE-NW'], sourceSystem: 'INPOL' },
  { code: 'NLKLPD001', name: 'Landelijke Eenheid', country: 'NL', regions: ['NL-NH', 'NL-ZH'], sourceSystem: 'BVH' },
  { code: 'ESPN00001', name: 'Policía Nacional', country: 'ES', regions: ['ES-MD', 'ES-CT'], sourceSystem: 'SIP' },
  { code: 'ITPS00001', name: 'Polizia di Stato', country: 'IT', regions: ['IT-62', 'IT-25'], sourceSystem: 'SDI' },
  { code: 'GBMPS0001', name: 'Metropolitan Police', country: 'GB', regions: ['GB-ENG', 'GB-SCT'], sourceSystem: 'PNC' },
  { code: 'USFBI0001', name: 'Federal Bureau of Investigation', country: 'US', regions: ['US-NY', 'US-CA', 'US-TX'], sourceSystem: 'NCIC' },
  { code: 'PLKGP0001', name: 'Komenda Główna Policji', country: 'PL', regions: ['PL-14', 'PL-12'], sourceSystem: 'KSIP' },
  { code: 'BEFP00001', name: 'Police fédérale', country: 'BE', regions: ['BE-BRU', 'BE-VLG'], sourceSystem: 'BNG' },
];

/** Ownership and release decision of one seeded record. */
export interface SeedOwnership {
  owning_agency: string;
  jurisdiction: string;
  release_mode: 'ALL_GRANTED' | 'ONLY' | 'EXCEPT' | 'OWNER_ONLY';
  release_jurisdictions: string[];
  release_agencies: string[];
  source_system: string;
}

/**
 * Picks an owning agency and a release decision: most records go to everyone granted, the rest
 * exercise every other mode so the row rules have something to hide.
 */
export function seedOwnership(random: Random): SeedOwnership {
  const agency = random.pick(DEMO_AGENCIES);
  const jurisdiction = random.chance(0.5) ? agency.country : random.pick(agency.regions);
  const others = DEMO_AGENCIES.filter((other) => other !== agency);
  const roll = random.next();
  const base = { owning_agency: agency.code, jurisdiction, source_system: agency.sourceSystem };
  if (roll < 0.7) return { ...base, release_mode: 'ALL_GRANTED', release_jurisdictions: [], release_agencies: [] };
  if (roll < 0.82) {
    return {
      ...base,
      release_mode: 'ONLY',
      release_jurisdictions: [random.pick(others).country],
      release_agencies: [random.pick(others).code],
    };
  }
  if (roll < 0.94) return { ...base, release_mode: 'EXCEPT', release_jurisdictions: [random.pick(others).country], release_agencies: [] };
  return { ...base, release_mode: 'OWNER_ONLY', release_jurisdictions: [], release_agencies: [] };
}

/** The kinds of record the built-in subgraphs seed; an onboarded subgraph passes its own name. */
export type SeededKind = 'person' | 'property' | 'case';

/**
 * Records 1..SHOWCASE_RECORDS of every kind are released to everyone granted their jurisdiction:
 * the README's examples and the smoke tests name them (W000000001, C000000001, V000000010) and must
 * find them whichever demo partner asks.
 */
export const SHOWCASE_RECORDS = 10;

/**
 * The ownership of the n-th seeded record of a kind (1-based), as a pure function of (kind, index).
 * The subgraph that owns the record and case-status, which snapshots the ownership of the persons and
 * property its cases link to, both call it, so their seeds agree without sharing a database.
 */
export function seedOwnershipOf(kind: SeededKind | (string & {}), index: number): SeedOwnership {
  const ownership = seedOwnership(new Random(fnv1a(`${kind}:${index}`)));
  return index <= SHOWCASE_RECORDS
    ? { ...ownership, release_mode: 'ALL_GRANTED', release_jurisdictions: [], release_agencies: [] }
    : ownership;
}

/** 32-bit FNV-1a: spreads neighbouring indexes over unrelated PRNG seeds. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
