const FOLDED: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ß: 'ss', æ: 'ae', œ: 'oe', ı: 'i' };

/**
 * Folds a name for case- and accent-insensitive matching: "Łukasz Müller-Øster" → "lukasz muller oster".
 * Stored search columns and queries go through the same function, so they always agree.
 */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øłđðþßæœı]/g, (char) => FOLDED[char] ?? char)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Licence plates compare without spaces, dashes or dots, in upper case: "ab-123 cd" → "AB123CD". */
export function normalisePlate(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Identifiers (VINs, serials, document numbers) compare in upper case without separators. */
export function normaliseIdentifier(value: string): string {
  return value.toUpperCase().replace(/[\s.\-/]/g, '');
}
