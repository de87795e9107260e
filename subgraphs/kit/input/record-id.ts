import { badUserInput } from '../../../lib/errors/index.ts';

/**
 * The first letter of each kind's record ids, which are that letter and nine digits (NCIC style, as
 * seed-plan's `recordId` writes them): W000000042, V000000010, C000000007.
 */
export const RECORD_LETTERS = { wantedPerson: 'W', propertyItem: 'VDFA', case: 'C' } as const;

const DIGITS = /^\d{9}$/;

/**
 * A record id of one of `letters`, trimmed and upper-cased as lookups always forgave. Any other shape
 * names no record, so it is refused before the cache and the database see it; a well-shaped id of no
 * record (or of one the caller may not see) still reaches the lookup and comes back null.
 */
export function recordId(value: string, field: string, letters: string): string {
  const id = value.trim().toUpperCase();
  if (id.length !== 10 || !letters.includes(id[0]!) || !DIGITS.test(id.slice(1))) {
    throw badUserInput(`${field} must be a record id: ${spelled(letters)} and nine digits, such as ${letters[0]}000000042`, field);
  }
  return id;
}

/** "W", "V, D, F or A". */
function spelled(letters: string): string {
  const list = [...letters];
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} or ${list.at(-1)}`;
}
