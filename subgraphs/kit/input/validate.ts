import type { z } from 'zod';
import { AgencyCode, CountryCode, JurisdictionCode } from '../../../lib/domain/index.ts';
import { badUserInput } from '../../../lib/errors/index.ts';
import { normaliseIdentifier } from './normalise.ts';
import { isVinFormat } from './vin.ts';

/** The value as a message may quote it: a client that sent 200 KB does not get them back. */
const quoted = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** An ISO 8601 calendar date that exists (rejects 2024-02-30). */
export function isoDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badUserInput(`${field} must be a date as YYYY-MM-DD, got ${quoted(value)}`, field);
  }
  return value;
}

/** The argument `field` read as a domain shape (lib/domain): the same rule and message as writes, tokens and configuration. */
function domainValue(shape: z.ZodType<string>, value: string, field: string): string {
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw badUserInput(`${field} ${parsed.error.issues[0]!.message}, got ${quoted(value)}`, field);
  return parsed.data;
}

/** An assigned ISO 3166-1 alpha-2 country code (FR, not XX), upper-cased. */
export const countryCode = (value: string, field: string): string => domainValue(CountryCode, value, field);

/** An ORI-like agency code: nine upper-case letters or digits, upper-cased. */
export const agencyCode = (value: string, field: string): string => domainValue(AgencyCode, value, field);

/** A non-empty search text of bounded length. */
export function searchText(value: string, field: string, max = 100): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw badUserInput(`${field} must be 1 to ${max} characters`, field);
  return text;
}

/** An ISO 3166 jurisdiction: a country (FR) or a country-region (FR-IDF, IT-62), upper-cased. */
export const jurisdictionCode = (value: string, field: string): string => domainValue(JurisdictionCode, value, field);

/**
 * A lookup key (plate, serial, document number) in the normalised form it is stored in: 1 to `max`
 * letters A-Z and digits, as writes store them. Anything else would match nothing, so it is refused
 * rather than answered with an empty list.
 */
export function lookupKey(value: string, field: string, normalise: (value: string) => string, max = 40): string {
  const key = normalise(value);
  if (key.length === 0 || key.length > max || !/^[A-Z0-9]+$/.test(key)) {
    throw badUserInput(`${field} must be 1 to ${max} letters or digits, besides spaces and separators`, field);
  }
  return key;
}

/** A vehicle identification number, normalised: 17 characters of the VIN alphabet (no I, O or Q). */
export function vehicleIdentificationNumber(value: string, field: string): string {
  const vin = normaliseIdentifier(value);
  if (!isVinFormat(vin)) throw badUserInput(`${field} must be a 17-character VIN (letters except I, O and Q, and digits)`, field);
  return vin;
}
