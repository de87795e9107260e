import {
  bulkInsert,
  type Db,
  normaliseName,
  propertyId,
  propertyKindOf,
  Random,
  SEED_COUNTS,
  seedOwnershipOf,
  type SeedSize,
} from '../kit/index.ts';
import { describe } from './description.ts';
import { type SeededFirearm, seedArtwork, seedDocument, seedFirearm, seedVehicle } from './seed-items.ts';

const COLUMNS = [
  'id',
  'kind',
  'status',
  'reported_at',
  'make',
  'model',
  'vin',
  'plate',
  'registration_country',
  'colour',
  'year',
  'document_number',
  'issuing_country',
  'document_type',
  'serial_number',
  'calibre',
  'title',
  'artist',
  'period',
  'owning_agency',
  'jurisdiction',
  'release_mode',
  'release_jurisdictions',
  'release_agencies',
  'source_system',
  'plate_norm',
  'vin_norm',
  'document_norm',
  'serial_norm',
  'search_text',
];

/** Rows built and inserted at a time: the large seed never holds 500k row objects in memory. */
const ROWS_PER_CHUNK = 10_000;

/** A theft report time between 2015 and 2025, to the second. */
function reportedAt(random: Random): string {
  const time = [random.int(0, 23), random.int(0, 59), random.int(0, 59)].map((part) => String(part).padStart(2, '0')).join(':');
  return `${random.date(2015, 2025)}T${time}Z`;
}

/**
 * Deterministic stolen property: the ids and kinds the seed plan gives (item i has id propertyId(i)
 * and kind propertyKindOf(i)), which is what the case-status seed links its cases to.
 */
export async function seedStolenProperty(db: Db, size: Exclude<SeedSize, 'none'>): Promise<void> {
  const random = new Random(2);
  const count = SEED_COUNTS[size].property;
  let previousFirearm: SeededFirearm | undefined;
  const fieldsOf = (index: number, home: string) => {
    switch (propertyKindOf(index)) {
      case 'VEHICLE':
        return seedVehicle(random, index, home);
      case 'TRAVEL_DOCUMENT':
        return seedDocument(random, index, home);
      case 'FIREARM':
        previousFirearm = seedFirearm(random, previousFirearm);
        return previousFirearm;
      case 'ARTWORK':
        return seedArtwork(random);
    }
  };
  await db.transaction(async (tx) => {
    for (let start = 1; start <= count; start += ROWS_PER_CHUNK) {
      const rows: Record<string, unknown>[] = [];
      for (let index = start; index < start + ROWS_PER_CHUNK && index <= count; index += 1) {
        const ownership = seedOwnershipOf('property', index);
        const fields = fieldsOf(index, ownership.jurisdiction.slice(0, 2));
        rows.push({
          id: propertyId(index),
          status: random.chance(0.85) ? 'STOLEN' : 'RECOVERED',
          reported_at: reportedAt(random),
          ...fields,
          ...ownership,
          search_text: normaliseName(describe(fields)),
        });
      }
      await bulkInsert(tx, 'property_item', COLUMNS, rows);
    }
  });
}
