/** What a write did to a record: the `RecordChange` enum of the kit's common SDL, and the outbox's `change` column. */
export const RECORD_CHANGES = ['CREATED', 'AMENDED', 'STATUS_CHANGED', 'RELEASE_CHANGED', 'CANCELLED', 'RECOVERED'] as const;
export type RecordChange = (typeof RECORD_CHANGES)[number];

/**
 * What a write tells the record-event outbox about one record: ids and ownership metadata, never content,
 * so an event can be kept, filtered and relayed without disclosing anything; the gateway reads the record
 * itself, as each subscriber, before it delivers anything about it.
 */
export interface RecordEventFacts {
  /** What the write did to the record. */
  change: RecordChange;
  /** The record's jurisdiction after the write. */
  jurisdiction: string;
  /**
   * The attribute subscribers filter on, after the write: a person's notice type, an item's kind, a
   * case's status; null for a kind of record without one.
   */
  category: string | null;
}

/** The input fields that decide who may see a record, not what it says. */
const RELEASE_FIELDS: ReadonlySet<string> = new Set(['jurisdiction', 'releasability']);

/**
 * The change an amendment made, from the input fields it gave: RELEASE_CHANGED when it only moved the
 * record or changed its release decision (subscribers then learn that who may see it changed, not that
 * its content did), AMENDED otherwise.
 */
export function amendmentChange(fields: readonly string[]): RecordChange {
  return fields.length > 0 && fields.every((field) => RELEASE_FIELDS.has(field)) ? 'RELEASE_CHANGED' : 'AMENDED';
}
