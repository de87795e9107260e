import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import type { SeedOwnership } from '../../subgraphs/kit/seed/seed-agencies.ts';
import { SHOWCASE_RECORDS } from '../../subgraphs/kit/seed/seed-agencies.ts';
import type { RowViewer } from './row-oracle.ts';
import type { SeededTruth, TruthRow } from './seeded-truth.ts';

export const MODES: SeedOwnership['release_mode'][] = ['ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY'];
export const PROPERTY_KINDS = ['VEHICLE', 'TRAVEL_DOCUMENT', 'FIREARM', 'ARTWORK'] as const;

/** A partner of the matrix: its token claims (null: no token) and, derived from them, its view. */
export interface Partner {
  name: string;
  agency: string | null;
  jurisdictions: string[];
}

/** One record of the matrix: its kind and row, as the seed stored it. */
export interface Target {
  kind: 'person' | 'property' | 'case';
  row: TruthRow;
}

const indexOf = (id: string) => Number(id.slice(1));

/**
 * One record per kind × release mode (per property kind too), past the showcase records, preferring
 * records linked across subgraphs so the entity-reference paths have something to follow.
 */
export function pickTargets(truth: SeededTruth): Target[] {
  const pick = (kind: Target['kind'], rows: TruthRow[], linked: (row: TruthRow) => boolean) =>
    MODES.map((mode) => {
      const candidates = rows.filter((row) => row.release_mode === mode && indexOf(row.id) > SHOWCASE_RECORDS);
      const row = candidates.find(linked) ?? candidates[0];
      if (!row) throw new Error(`the demo seed has no ${kind} released ${mode}`);
      return { kind, row };
    });
  const openCase = new Set(truth.cases.filter((row) => row.release_mode === 'ALL_GRANTED').map((row) => row.id));
  const persons = pick('person', truth.persons, (row) => (truth.casesOfPerson.get(row.id) ?? []).some((n) => openCase.has(n)));
  const property = PROPERTY_KINDS.flatMap((kind) =>
    pick(
      'property',
      truth.property.filter((row) => row.kind === kind),
      (row) => openCase.has(truth.caseOfProperty.get(row.id) ?? ''),
    ),
  );
  const cases = pick(
    'case',
    truth.cases,
    (row) => (truth.subjectsOf.get(row.id)?.length ?? 0) > 0 && (truth.propertyOf.get(row.id)?.length ?? 0) > 0,
  );
  // Released to everyone granted, in a region and at country level: a region grant covers one, not the other.
  const inJurisdiction = (kind: Target['kind'], rows: TruthRow[], jurisdiction: string): Target => ({
    kind,
    row: rows.find((row) => row.release_mode === 'ALL_GRANTED' && row.jurisdiction === jurisdiction && indexOf(row.id) > SHOWCASE_RECORDS)!,
  });
  const regional = [
    inJurisdiction('person', truth.persons, 'DE-BY'),
    inJurisdiction('person', truth.persons, 'DE'),
    inJurisdiction('property', truth.property, 'DE-BY'),
  ];
  return [...persons, ...property, ...cases, ...regional.filter((target) => target.row)];
}

/**
 * The partners of the matrix, several derived from the targets so every rule has someone it
 * admits and someone it refuses: a country partner, a region-only partner, an agency and a country
 * named by an ONLY list, a country excluded by an EXCEPT list, an owner with no grants at all, a
 * partner granted a country with no records, and no token.
 */
export function pickPartners(targets: Target[]): Partner[] {
  const person = (mode: string) => targets.find((target) => target.kind === 'person' && target.row.release_mode === mode)!.row;
  const only = person('ONLY');
  const except = person('EXCEPT');
  const countryOf = (row: TruthRow) => row.jurisdiction.slice(0, 2);
  return [
    { name: 'French partner granted FR', agency: 'FRDOU0001', jurisdictions: ['FR'] },
    { name: 'Bavarian partner granted only DE-BY', agency: 'DELKABY01', jurisdictions: ['DE-BY'] },
    {
      name: `agency named in an ONLY list (${only.release_agencies[0]})`,
      agency: only.release_agencies[0]!,
      jurisdictions: [countryOf(only)],
    },
    {
      name: `agency of a country named in an ONLY list (${only.release_jurisdictions[0]})`,
      agency: `${only.release_jurisdictions[0]}LST0001`,
      jurisdictions: [countryOf(only)],
    },
    {
      name: `agency of a country excluded by an EXCEPT list (${except.release_jurisdictions[0]})`,
      agency: `${except.release_jurisdictions[0]}EXC0001`,
      jurisdictions: [countryOf(except)],
    },
    {
      name: `owning agency without grants (${person('OWNER_ONLY').owning_agency})`,
      agency: person('OWNER_ONLY').owning_agency,
      jurisdictions: [],
    },
    { name: 'Portuguese partner granted PT only', agency: 'PTPJ00001', jurisdictions: ['PT'] },
    { name: 'anonymous', agency: null, jurisdictions: [] },
  ];
}

export const viewerOfPartner = (partner: Partner): RowViewer | null =>
  partner.agency ? { agency: partner.agency, jurisdictions: partner.jurisdictions } : null;

/** The partner as the gateway would vouch for it to a subgraph. */
export function callerOfPartner(partner: Partner): Caller {
  if (!partner.agency) return { principal: null, purpose: null };
  return {
    principal: {
      subject: `leak-${partner.agency}`,
      agency: partner.agency,
      scopes: new Set(ALL_SCOPES),
      jurisdictions: partner.jurisdictions,
    },
    purpose: null,
  };
}
