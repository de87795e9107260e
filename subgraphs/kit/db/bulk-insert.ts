import type { Queryable } from './db.ts';

/** Rows per INSERT: keeps each statement well under PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_STATEMENT = 500;

/**
 * Inserts many rows with multi-row parameterised INSERTs. Used by seeds, where a row-at-a-time
 * insert of 500k records would take minutes.
 */
export async function bulkInsert(
  db: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const slots = columns.map((column) => {
        params.push(row[column] ?? null);
        return `$${params.length}`;
      });
      return `(${slots.join(', ')})`;
    });
    await db.query(`insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, params);
  }
}
