/** One record event as a subgraph's `/events` feed publishes it: ids and ownership metadata, never content. */
export interface RecordEvent {
  /** The feed's position; delivered to clients as the event `id` (a string) to resume after. */
  seq: number;
  entity: string;
  recordId: string;
  change: string;
  at: string;
  owningAgency: string;
  jurisdiction: string;
  /** A notice type, an item's kind or a case's status: what the category filter matches. */
  category: string | null;
  /** An owner's own event's fields (a hit's partner, purpose, audit entry); absent from record events. */
  detail?: Readonly<Record<string, unknown>>;
}

/** The event in a feed's `data:` line, or undefined when it is not one (a feed we do not understand is skipped, not trusted). */
export function parseRecordEvent(data: string): RecordEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as Record<string, unknown>;
  const text = (key: string) => typeof event[key] === 'string';
  if (!Number.isSafeInteger(event.seq) || !text('entity') || !text('recordId') || !text('change') || !text('at')) return undefined;
  return {
    seq: event.seq as number,
    entity: event.entity as string,
    recordId: event.recordId as string,
    change: event.change as string,
    at: event.at as string,
    owningAgency: typeof event.owningAgency === 'string' ? event.owningAgency : '',
    jurisdiction: typeof event.jurisdiction === 'string' ? event.jurisdiction : '',
    category: typeof event.category === 'string' ? event.category : null,
    ...(typeof event.detail === 'object' && event.detail !== null && !Array.isArray(event.detail)
      ? { detail: event.detail as Record<string, unknown> }
      : {}),
  };
}

/** Feed positions as clients see them: digits, as the subgraphs' feed accepts them. */
export const POSITION = /^\d{1,15}$/;
