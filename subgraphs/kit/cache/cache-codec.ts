/** The stored value of a key looked up and not found; rows always encode as JSON objects, never as this. */
export const MISSING = '-';

/**
 * Rows as JSON, keeping Date columns (timestamptz) as Dates: both drivers return Dates, and the
 * resolvers format them, so a cached row must come back exactly as the database gave it.
 */
export function encodeRow(row: object): string {
  return JSON.stringify(row, function (this: Record<string, unknown>, key, value) {
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : value;
  });
}

export function decodeRow<R>(text: string): R {
  return JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && typeof value.$date === 'string' && Object.keys(value).length === 1
      ? new Date(value.$date)
      : value,
  ) as R;
}
