import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { SHOWCASE_RECORDS } from '../../subgraphs/kit/seed/seed-agencies.ts';
import type { Ownership, RowViewer } from './row-oracle.ts';
import type { SeededTruth, TruthRow } from './seeded-truth.ts';
import { TEST_PURPOSE } from './tokens.ts';

type Mode = Ownership['release_mode'];
const SEEDED_MODES: readonly Mode[] = ['ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY'];
export const MODES: readonly Mode[] = [...SEEDED_MODES, 'REFERENCE_ONLY'];

/** The agency that releases some of its records REFERENCE_ONLY for the matrix: French, as are partners who then see references. */
export const REFERENCE_OWNER = 'FRGN00001';
export const PROPERTY_KINDS = ['VEHICLE', 'TRAVEL_DOCUMENT', 'FIREARM', 'ARTWORK'] as const;

/** A partner of the matrix: its token claims (null: no token) and, derived from them, its view. */
export interface Partner {
  name: string;
  agency: string | null;
  jurisdictions: string[];
}

/** One record of the matrix: its kind and row, as the seed stored it or its owner released it since. */
export interface Target {
  kind: 'person' | 'property' | 'case';
  row: TruthRow;
}

const indexOf = (id: string) => Number(id.slice(1));

/** The rows of each kind (of each property kind apart), and which of them are linked across subgraphs. */
function groupsOf(truth: SeededTruth): { kind: Target['kind']; rows: TruthRow[]; linked: (row: TruthRow) => boolean }[] {
  const openCase = new Set(truth.cases.filter((row) => row.release_mode === 'ALL_GRANTED').map((row) => row.id));
  return [
    { kind: 'person', rows: truth.persons, linked: (row) => (truth.casesOfPerson.get(row.id) ?? []).some((n) => openCase.has(n)) },
    ...PROPERTY_KINDS.map((kind) => ({
      kind: 'property' as const,
      rows: truth.property.filter((row) => row.kind === kind),
      linked: (row: TruthRow) => openCase.has(truth.caseOfProperty.get(row.id) ?? ''),
    })),
    {
      kind: 'case',
      rows: truth.cases,
      linked: (row) => (truth.subjectsOf.get(row.id)?.length ?? 0) > 0 && (truth.propertyOf.get(row.id)?.length ?? 0) > 0,
    },
  ];
}

/**
 * One record per kind × release mode (per property kind too), past the showcase records, preferring
 * records linked across subgraphs so the entity-reference paths have something to follow.
 */
export function pickTargets(truth: SeededTruth, modes: readonly Mode[] = MODES): Target[] {
  const picked = groupsOf(truth).flatMap(({ kind, rows, linked }) =>
    modes.map((mode) => {
      const candidates = rows.filter((row) => row.release_mode === mode && indexOf(row.id) > SHOWCASE_RECORDS);
      const row = candidates.find(linked) ?? candidates[0];
      if (!row) throw new Error(`the truth has no ${kind} released ${mode}`);
      return { kind, row };
    }),
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
  return [...picked, ...regional.filter((target) => target.row)];
}

/**
 * The records {@link REFERENCE_OWNER} releases REFERENCE_ONLY before the matrix runs, one per kind (per
 * property kind too), none the seeded modes' targets, preferring records linked to ones released to
 * everyone in the owner's country, so that the partners granted it also meet the references through
 * links. Never an ALL_GRANTED case: those decide which records count as linked in {@link pickTargets}.
 */
export function pickReferenceSwitches(truth: SeededTruth): Target[] {
  const taken = new Set(pickTargets(truth, SEEDED_MODES).map((target) => target.row.id));
  const open = (rows: TruthRow[]) => {
    const ids = new Set(
      rows
        .filter((row) => row.release_mode === 'ALL_GRANTED' && row.jurisdiction.startsWith(REFERENCE_OWNER.slice(0, 2)))
        .map((row) => row.id),
    );
    return (id: string | undefined) => ids.has(id ?? '');
  };
  const [person, item, kase] = [open(truth.persons), open(truth.property), open(truth.cases)];
  const nearOpen: Record<Target['kind'], (row: TruthRow) => boolean> = {
    person: (row) => (truth.casesOfPerson.get(row.id) ?? []).some(kase),
    property: (row) => kase(truth.caseOfProperty.get(row.id)),
    case: (row) => (truth.subjectsOf.get(row.id) ?? []).some(person) && (truth.propertyOf.get(row.id) ?? []).some(item),
  };
  return groupsOf(truth).map(({ kind, rows, linked }) => {
    const candidates = rows.filter(
      (row) =>
        row.owning_agency === REFERENCE_OWNER &&
        indexOf(row.id) > SHOWCASE_RECORDS &&
        !taken.has(row.id) &&
        !(kind === 'case' && row.release_mode === 'ALL_GRANTED'),
    );
    const row = candidates.find(nearOpen[kind]) ?? candidates.find(linked) ?? candidates[0];
    if (!row) throw new Error(`the demo seed has no ${kind} of ${REFERENCE_OWNER} to release REFERENCE_ONLY`);
    return { kind, row };
  });
}

/** The truth once the owner has released `switched` REFERENCE_ONLY, a decision that lists nobody. */
export function releasedAsReferences(truth: SeededTruth, switched: Target[]): SeededTruth {
  const ids = new Set(switched.map((target) => target.row.id));
  const release = (rows: TruthRow[]): TruthRow[] =>
    rows.map((row) =>
      ids.has(row.id) ? { ...row, release_mode: 'REFERENCE_ONLY', release_jurisdictions: [], release_agencies: [] } : row,
    );
  return { ...truth, persons: release(truth.persons), property: release(truth.property), cases: release(truth.cases) };
}

/**
 * The partners of the matrix, several derived from the targets so every rule has someone it
 * admits and someone it refuses: a country partner, a region-only partner, an agency and a country
 * named by an ONLY list, a country excluded by an EXCEPT list, an owner with no grants at all, a
 * partner granted a country with no records, the owner of the records released REFERENCE_ONLY
 * (which the partners granted FR see as references), and no token.
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
    {
      name: `owner of the records released REFERENCE_ONLY, granted FR (${REFERENCE_OWNER})`,
      agency: REFERENCE_OWNER,
      jurisdictions: ['FR'],
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
    // Personal fields need a declared purpose, as the gateway forwards one.
    purpose: TEST_PURPOSE,
  };
}
