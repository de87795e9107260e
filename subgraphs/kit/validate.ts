import { badUserInput } from '../../lib/errors.ts';

/** An ISO 8601 calendar date that exists (rejects 2024-02-30). */
export function isoDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!match || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badUserInput(`${field} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`, field);
  }
  return value;
}

/** An ISO 3166-1 alpha-2 country code, upper-cased. */
export function countryCode(value: string, field: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw badUserInput(`${field} must be an ISO 3166-1 alpha-2 country code such as FR, got ${JSON.stringify(value)}`, field);
  return code;
}

/** A non-empty search text of bounded length. */
export function searchText(value: string, field: string, max = 100): string {
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw badUserInput(`${field} must be 1 to ${max} characters`, field);
  return text;
}
