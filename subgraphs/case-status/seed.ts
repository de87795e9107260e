import {
  bulkInsert,
  type Db,
  DEMO_AGENCIES,
  personId,
  propertyId,
  Random,
  SEED_COUNTS,
  type SeededKind,
  seedOwnershipOf,
  type SeedSize,
} from '../kit/index.ts';
import { CASE_STATUSES, caseTitle, statusReason } from './seed-text.ts';

type SeedRow = Record<string, unknown>;

const DAY_MS = 86_400_000;
const FIRST_OPENED = Date.UTC(2016, 0, 1);
const LAST_OPENED = Date.UTC(2024, 11, 31);

/** The demo rows of every table, built in memory before one bulk insert per table. */
interface SeedRows {
  cases: SeedRow[];
  changes: SeedRow[];
  subjects: SeedRow[];
  property: SeedRow[];
}

/**
 * Deterministic cases C000000001 … in the count the seed plan gives, each with 1–5 status changes,
 * 0–4 subjects among the seeded wanted persons and 0–3 items among the seeded property, every item
 * linked to at most one case. A small pool of repeat offenders appears in many cases, so
 * `WantedPerson.cases` has something to show.
 */
export async function seedCaseStatus(db: Db, size: Exclude<SeedSize, 'none'>): Promise<void> {
  const counts = SEED_COUNTS[size];
  const random = new Random(3);
  const rows: SeedRows = { cases: [], changes: [], subjects: [], property: [] };
  const linkedProperty = new Set<number>();
  const repeatOffenders = Math.max(1, Math.ceil(counts.persons / 25));
  for (let index = 1; index <= counts.cases; index += 1) {
    const caseNumber = `C${String(index).padStart(9, '0')}`;
    const ownership = seedOwnershipOf('case', index);
    const openedAt = FIRST_OPENED + Math.floor(random.next() * (LAST_OPENED - FIRST_OPENED));
    let changedAt = openedAt;
    const changes = random.int(1, CASE_STATUSES.length);
    for (let seq = 1; seq <= changes; seq += 1) {
      const status = CASE_STATUSES[seq - 1]!;
      if (seq > 1) changedAt += random.int(1, 120) * DAY_MS + random.int(0, DAY_MS - 1);
      const changedBy = random.chance(0.8) ? ownership.owning_agency : random.pick(DEMO_AGENCIES).code;
      rows.changes.push({
        case_number: caseNumber,
        seq,
        status,
        changed_at: iso(changedAt),
        changed_by: changedBy,
        reason: statusReason(random, status),
      });
    }
    const linkedAt = () => iso(openedAt + Math.floor(random.next() * (changedAt - openedAt + 1)));
    const subjects = new Set<number>();
    for (let pick = random.int(0, 4); pick > 0; pick -= 1) {
      subjects.add(random.chance(0.35) ? random.int(1, repeatOffenders) : random.int(1, counts.persons));
    }
    for (const person of subjects)
      rows.subjects.push({ case_number: caseNumber, person_id: personId(person), linked_at: linkedAt(), ...snapshotOf('person', person) });
    for (let pick = random.int(0, 3); pick > 0; pick -= 1) {
      const item = unlinkedProperty(random, counts.property, linkedProperty);
      if (item !== null)
        rows.property.push({
          case_number: caseNumber,
          property_id: propertyId(item),
          linked_at: linkedAt(),
          ...snapshotOf('property', item),
        });
    }
    rows.cases.push({
      case_number: caseNumber,
      title: caseTitle(random, ownership.jurisdiction.slice(0, 2)),
      status: CASE_STATUSES[changes - 1],
      lead_agency: ownership.owning_agency,
      ...ownership,
      opened_at: iso(openedAt),
      updated_at: iso(changedAt),
    });
  }
  await db.transaction(async (tx) => {
    await bulkInsert(tx, 'case_record', Object.keys(rows.cases[0]!), rows.cases);
    await bulkInsert(tx, 'case_status_change', Object.keys(rows.changes[0]!), rows.changes);
    await bulkInsert(tx, 'case_subject', ['case_number', 'person_id', 'linked_at', ...SNAPSHOT_COLUMNS], rows.subjects);
    await bulkInsert(tx, 'case_property', ['case_number', 'property_id', 'linked_at', ...SNAPSHOT_COLUMNS], rows.property);
  });
}

/**
 * A property index no case has claimed yet, or null after a few collisions: the plan seeds far more
 * property than cases link, so collisions are rare and giving up keeps the loop bounded.
 */
function unlinkedProperty(random: Random, count: number, linked: Set<number>): number | null {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const item = random.int(1, count);
    if (!linked.has(item)) {
      linked.add(item);
      return item;
    }
  }
  return null;
}

/** The ownership columns a link keeps of the record it points at (migration 002). */
const SNAPSHOT_COLUMNS = ['owning_agency', 'jurisdiction', 'release_mode', 'release_jurisdictions', 'release_agencies'] as const;

/**
 * The visibility snapshot of a linked person or property item: the same ownership its own subgraph
 * seeded it with, since both derive it from (kind, index). In production the snapshot is refreshed
 * from the owning subgraph's change events (a later issue); the seed only has to agree with it.
 */
function snapshotOf(kind: SeededKind, index: number): SeedRow {
  const ownership = seedOwnershipOf(kind, index);
  return Object.fromEntries(SNAPSHOT_COLUMNS.map((column) => [column, ownership[column]]));
}

const iso = (ms: number): string => new Date(ms).toISOString();
