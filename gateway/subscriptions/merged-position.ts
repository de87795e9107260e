import { POSITION } from './record-event.ts';

/** Where a subscriber reading several feeds stands in each: subgraph name → the last seq it had from it. */
export type MergedPosition = ReadonlyMap<string, number>;

const ENTRY = /^([a-z][a-z0-9-]{0,62}):(\d{1,15})$/;

/**
 * A merged position as an event id: `case-status:12,wanted-persons:40`, in name order. Each event of a
 * merged stream carries the whole vector, so resuming from any one event id loses nothing in any feed.
 */
export function encodePosition(position: MergedPosition): string {
  return [...position]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([subgraph, seq]) => `${subgraph}:${seq}`)
    .join(',');
}

/** The position an event id names, or undefined when it is not one (a plain seq is not: it names no feed). */
export function parsePosition(id: string): MergedPosition | undefined {
  if (POSITION.test(id)) return undefined;
  const position = new Map<string, number>();
  for (const entry of id.split(',')) {
    const match = ENTRY.exec(entry);
    if (!match || position.has(match[1]!)) return undefined;
    position.set(match[1]!, Number(match[2]));
  }
  return position;
}
