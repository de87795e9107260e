import { bulkInsert, type Db, personId, SEED_COUNTS, type SeedSize, seedOwnershipOf, seedRecordId } from '../kit/index.ts';
import { RECORD_LETTER } from './example-record-repository.ts';

/** Deterministic demo records; the first ten concern the showcase wanted persons W000000001…W000000010. */
export async function seed(db: Db, size: Exclude<SeedSize, 'none'>): Promise<void> {
  const count = Math.max(50, Math.floor(SEED_COUNTS[size].cases / 4));
  const rows = Array.from({ length: count }, (_, i) => ({
    id: seedRecordId(RECORD_LETTER, i + 1),
    label: `Record ${i + 1}`,
    linked_person_id: i < 10 ? personId(i + 1) : null,
    ...seedOwnershipOf('example-register', i + 1),
  }));
  await db.transaction((tx) => bulkInsert(tx, 'example_record', Object.keys(rows[0]!), rows));
}
