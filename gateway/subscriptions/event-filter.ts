import { JURISDICTION_CODE } from '../../lib/domain/index.ts';
import { badUserInput, type FieldProblem } from '../../lib/errors/index.ts';
import type { RecordEvent } from './record-event.ts';

/** A subscription's filter on event metadata; an absent list matches everything. */
export interface EventFilter {
  jurisdictions?: readonly string[];
  /** Notice types, item kinds or case statuses: whichever list the filter input has besides the other two. */
  categories?: readonly string[];
  /** The filter input's name for them (`noticeTypes`, `kinds`, `statuses`). */
  categoryKey?: string;
  changes?: readonly string[];
}

/**
 * The filter of a subscription field's coerced `filter` argument. Enum lists are checked by validation;
 * jurisdictions are text, so an unknown one is refused here rather than silently matching nothing.
 */
export function eventFilterOf(argument: unknown): EventFilter {
  if (argument === null || typeof argument !== 'object') return {};
  const filter: EventFilter = {};
  const problems: FieldProblem[] = [];
  for (const [key, value] of Object.entries(argument as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    const list = (Array.isArray(value) ? value : [value]).map(String);
    if (key === 'jurisdictions') {
      for (const code of list) {
        if (!JURISDICTION_CODE.test(code)) problems.push({ field: 'filter.jurisdictions', message: `${code} is not an ISO 3166 code` });
      }
      filter.jurisdictions = list;
    } else if (key === 'changes') filter.changes = list;
    else {
      filter.categories = list;
      filter.categoryKey = key;
    }
  }
  if (problems.length > 0) throw badUserInput('Unknown filter values', problems);
  return filter;
}

/** Whether an event's metadata passes the filter: a country code also covers its regions (`FR` matches `FR-75`). */
export function matches(filter: EventFilter, event: RecordEvent): boolean {
  if (filter.changes && !filter.changes.includes(event.change)) return false;
  if (filter.categories && (event.category === null || !filter.categories.includes(event.category))) return false;
  if (filter.jurisdictions) {
    const within = filter.jurisdictions.some((code) => event.jurisdiction === code || event.jurisdiction.startsWith(`${code}-`));
    if (!within) return false;
  }
  return true;
}
