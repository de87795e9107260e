import type { EventFilter } from './event-filter.ts';
import type { RecordEvent } from './record-event.ts';

/** Changes a reference-only record's subscriber may learn of: its existence, its reference fields, that it changed. */
const REFERENCE_CHANGES = new Set(['CREATED', 'RELEASE_CHANGED', 'AMENDED']);
/** Category filters on a reference field: an item's kind is one (subgraphs/kit/authz/release-decisions.ts); a notice type or a case status is not. */
const REFERENCE_CATEGORY_FILTERS = new Set(['kinds']);

/**
 * The event's change as `filter`'s subscriber may see it, or undefined when it must hear nothing of the
 * event. A record released in full shows its change as it is. Of a reference-only record the subscriber
 * learns what its reference shows: a cancellation, a recovery or a status change is only "amended", and
 * a filter on what the reference does not show (a notice type, a status, a change it may not see) never
 * matches it, since matching would tell the hidden value.
 */
export function asSeen(event: RecordEvent, filter: EventFilter, releasedInFull: boolean): string | undefined {
  if (releasedInFull) return event.change;
  if (filter.categories && !REFERENCE_CATEGORY_FILTERS.has(filter.categoryKey ?? '')) return undefined;
  const change = REFERENCE_CHANGES.has(event.change) ? event.change : 'AMENDED';
  if (filter.changes && !filter.changes.includes(change)) return undefined;
  return change;
}
