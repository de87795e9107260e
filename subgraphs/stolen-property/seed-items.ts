import { fillPattern, makeVin, normaliseIdentifier, normalisePlate, type Random, type RecordRow } from '../kit/index.ts';
import type { ArtworkRow, FirearmRow, TravelDocumentRow, VehicleRow } from './property-row.ts';
import {
  ARTISTS,
  COLOURS,
  DOCUMENT_PATTERNS,
  FIREARMS,
  PLATE_PATTERNS,
  RESIDENCE_PERMIT_PATTERN,
  SEED_COUNTRIES,
  VEHICLE_MAKES,
  VISA_PATTERN,
} from './seed-catalogue.ts';

/** The kind-specific columns of a row: what each builder below decides. */
type KindFields<R> = Omit<R, 'id' | 'status' | 'reported_at' | 'version' | 'recovered_on' | 'recovery_note' | keyof RecordRow>;
export type SeededVehicle = KindFields<VehicleRow> & { vin_norm: string; plate_norm: string };
export type SeededDocument = KindFields<TravelDocumentRow> & { document_norm: string };
export type SeededFirearm = KindFields<FirearmRow> & { serial_norm: string };
export type SeededArtwork = KindFields<ArtworkRow>;

/** Mostly the owning agency's own country; sometimes a foreign one, as cross-border theft is. */
function countryFor(random: Random, home: string): string {
  return random.chance(0.8) && SEED_COUNTRIES.includes(home) ? home : random.pick(SEED_COUNTRIES);
}

/** A vehicle; the VIN's sequence number is the item's index, which keeps VINs unique. */
export function seedVehicle(random: Random, index: number, home: string): SeededVehicle {
  const { make, wmi, models } = random.pick(VEHICLE_MAKES);
  const year = random.int(2004, 2025);
  const vin = makeVin({ wmi, vds: fillPattern('XXXXX', random), year, plant: fillPattern('A', random), serial: index });
  const country = countryFor(random, home);
  const plate = fillPattern(random.pick(PLATE_PATTERNS[country]!), random);
  return {
    kind: 'VEHICLE',
    make,
    model: random.pick(models),
    colour: random.pick(COLOURS),
    year: random.chance(0.95) ? year : null,
    vin,
    vin_norm: vin,
    plate,
    plate_norm: normalisePlate(plate),
    registration_country: country,
  };
}

/** A travel document; its number is unique per issuing country because `index` is. */
export function seedDocument(random: Random, index: number, home: string): SeededDocument {
  const country = countryFor(random, home);
  const formats = DOCUMENT_PATTERNS[country]!;
  const roll = random.next();
  const documentType =
    roll < 0.05 ? 'VISA' : roll < 0.12 ? 'RESIDENCE_PERMIT' : roll < 0.45 && formats.IDENTITY_CARD ? 'IDENTITY_CARD' : 'PASSPORT';
  const pattern = {
    VISA: VISA_PATTERN,
    RESIDENCE_PERMIT: RESIDENCE_PERMIT_PATTERN,
    IDENTITY_CARD: formats.IDENTITY_CARD!,
    PASSPORT: formats.PASSPORT,
  }[documentType];
  const number = fillPattern(pattern, random, index);
  return {
    kind: 'TRAVEL_DOCUMENT',
    document_number: number,
    document_norm: normaliseIdentifier(number),
    issuing_country: country,
    document_type: documentType,
  };
}

/**
 * A firearm. Serials are unique only per manufacturer, so now and then one repeats the previous
 * firearm's serial under another make, which is what the make filter of firearmsBySerial is for.
 */
export function seedFirearm(random: Random, previous: SeededFirearm | undefined): SeededFirearm {
  const { make, model, calibre, serial } = random.pick(FIREARMS);
  const serialNumber = previous && previous.make !== make && random.chance(0.05) ? previous.serial_number : fillPattern(serial, random);
  return { kind: 'FIREARM', make, model, calibre, serial_number: serialNumber, serial_norm: normaliseIdentifier(serialNumber) };
}

export function seedArtwork(random: Random): SeededArtwork {
  const { artist, movement, years, titles } = random.pick(ARTISTS);
  return { kind: 'ARTWORK', title: random.pick(titles), artist, period: `${movement}, ${random.int(years[0], years[1])}` };
}
