import type { ExecutionResult } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import type { PreparedOwnerSubscription } from './prepare-subscription.ts';
import type { RecordEvent } from './record-event.ts';

/** A hit's fields as the subgraph's audit append wrote them (subgraphs/kit/events/hit-events.ts), by SDL field. */
const DETAIL_FIELDS: Readonly<Record<string, string>> = {
  partnerAgency: 'partnerAgency',
  purpose: 'purposeCode',
  purposeReference: 'purposeReference',
  auditSeq: 'auditSeq',
  requestId: 'requestId',
  requestStatus: 'status',
};

/**
 * One owner's own event (a hit) as `caller` may see it: only the owning agency hears of it, with the
 * fields it selected, filled from the event. Nothing is looked up: the event is the audit entry's
 * account of itself, which the owner reads in its own trail anyway. `id` is the feed's seq here; the
 * merged stream gives it the position across every feed.
 */
export function resolveOwnerEvent(
  prepared: PreparedOwnerSubscription,
  caller: Caller,
  event: RecordEvent,
  subgraph: string,
): ExecutionResult | undefined {
  if (!caller.principal || event.owningAgency !== caller.principal.agency) return undefined;
  const detail = event.detail ?? {};
  const value = (field: string): unknown => {
    if (field === 'id') return String(event.seq);
    if (field === 'kind') return event.category;
    if (field === 'at') return event.at;
    if (field === 'recordId') return event.recordId;
    if (field === 'sourceSubgraph') return subgraph;
    if (field === '__typename') return prepared.route.eventType;
    const key = DETAIL_FIELDS[field];
    return key === undefined ? null : (detail[key] ?? null);
  };
  return {
    data: { [prepared.rootKey]: Object.fromEntries(prepared.fields.map(({ key, field }) => [key, value(field)])) },
    extensions: { eventId: String(event.seq) },
  };
}

/** Gives an owner's event the merged stream's position, as its `id` fields (aliases included) and its `eventId`. */
export function stampPosition(prepared: PreparedOwnerSubscription): (result: ExecutionResult, id: string) => ExecutionResult {
  const ids = prepared.fields.filter((field) => field.field === 'id').map((field) => field.key);
  return (result, id) => {
    const event = { ...(result.data?.[prepared.rootKey] as Record<string, unknown>) };
    for (const key of ids) event[key] = id;
    return { ...result, data: { [prepared.rootKey]: event }, extensions: { eventId: id } };
  };
}
