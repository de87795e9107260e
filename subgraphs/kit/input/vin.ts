/** The 33 characters a VIN may use: digits and letters except I, O and Q (ISO 3779). */
const VIN_FORMAT = /^[A-HJ-NPR-Z0-9]{17}$/;

/** Weight of each position in the check-digit sum; position 9 (the check digit itself) weighs 0. */
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** Model-year codes cycle every 30 years from 1980 (A) and skip I, O, Q, U, Z and 0. */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

/** Letter values of the North American check-digit transliteration (digits stand for themselves). */
const LETTER_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};

/** True when the value is 17 characters of the VIN alphabet (upper case, no separators). */
export function isVinFormat(value: string): boolean {
  return VIN_FORMAT.test(value);
}

/** The check digit (0-9 or X) that position 9 of a well-formed VIN must carry in North America. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let position = 0; position < 17; position += 1) {
    const char = vin[position] ?? '0';
    sum += (/\d/.test(char) ? Number(char) : (LETTER_VALUES[char] ?? 0)) * WEIGHTS[position]!;
  }
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/**
 * True when the VIN is well formed and its position 9 holds the right check digit. Only North American
 * VINs must pass; European manufacturers may use position 9 freely, so lookups never require it.
 */
export function vinCheckDigitValid(vin: string): boolean {
  return isVinFormat(vin) && vin[8] === vinCheckDigit(vin);
}

/** The parts a manufacturer chooses; {@link makeVin} adds the model-year code and the check digit. */
export interface VinParts {
  /** World manufacturer identifier, 3 characters (e.g. VF3 for Peugeot). */
  wmi: string;
  /** Vehicle descriptor section, 5 characters. */
  vds: string;
  year: number;
  /** Assembly plant, 1 character. */
  plant: string;
  /** Production sequence number, 0 to 999,999. */
  serial: number;
}

/** Builds a 17-character VIN with a valid check digit; throws if a part does not fit the alphabet. */
export function makeVin(parts: VinParts): string {
  const year = YEAR_CODES[(((parts.year - 1980) % 30) + 30) % 30]!;
  const draft = `${parts.wmi}${parts.vds}0${year}${parts.plant}${String(parts.serial).padStart(6, '0')}`;
  if (!isVinFormat(draft)) throw new Error(`VIN parts do not form a VIN: ${draft}`);
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}
