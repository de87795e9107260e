import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import type { PreparedRecordSubscription } from './prepare-subscription.ts';
import { PROBE_KEY, RECORD_ID_VARIABLE } from './lookup-operation.ts';
import { asSeen } from './reference-events.ts';
import type { RecordEvent } from './record-event.ts';
import { undecided } from './retry-undecided.ts';

/** What the audit trail and the request log say about a subscription's lookups. */
export interface LookupMeta {
  operationName: string | null;
  /** SHA-256 of the subscription document the partner sent: each event's audit entry names it, not the rewrite. */
  operationHash: string;
  /** The id the partner traces the subscription by, shared by every event it receives. */
  requestId: string;
}

/**
 * Runs one operation through the gateway's own pipeline as `caller` (authorizing gateway, planner,
 * data sources signing the caller's identity), as a query over HTTP would run; the gateway provides it.
 */
export type ExecuteAs = (
  caller: Caller,
  document: DocumentNode,
  variables: Record<string, unknown>,
  meta: LookupMeta,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

/**
 * One event as `caller` may see it: the record looked up through the federation as the caller, the
 * event's own fields from the event. A record the caller may not see (row rules, its release) comes
 * back null, and then nothing at all is delivered, not even that something happened. A record that
 * came back null because a subgraph was away is not decided either way: that throws `UndecidedEvent`.
 */
export async function resolveEvent(
  prepared: PreparedRecordSubscription,
  caller: Caller,
  event: RecordEvent,
  execute: ExecuteAs,
  meta: LookupMeta,
): Promise<ExecutionResult | undefined> {
  const { lookup, route } = prepared;
  const records = lookup.fields.filter((field) => field.field === route.recordField);
  // Always run, even for a subscriber that selected no record field: the probe decides visibility.
  const result = await execute(caller, lookup.document, { ...prepared.variables, [RECORD_ID_VARIABLE]: event.recordId }, meta);
  const data = result.data;
  const keys = [PROBE_KEY, ...records.map((record) => record.key)];
  if (!data || keys.some((key) => data[key] === null || data[key] === undefined)) {
    const failure = undecided(result.errors);
    if (failure) throw failure;
    return undefined;
  }
  const change = asSeen(event, prepared.filter, (data[PROBE_KEY] as { releasedInFull?: boolean }).releasedInFull !== false);
  if (change === undefined) return undefined;
  const own: Record<string, unknown> = {
    id: String(event.seq),
    change,
    kind: change,
    at: event.at,
    __typename: route.eventType,
  };
  const delivered = Object.fromEntries(
    lookup.fields.map(({ key, field }) => [key, field === route.recordField ? data[key] : (own[field] ?? null)]),
  );
  // A field error of the lookup belongs under the event's record field, where the client asked for it.
  // Apollo has already formatted (and masked) it; it is rebuilt as an error, its code and message kept,
  // because the transports format what the engine yields as errors, not as formatted JSON.
  const errors = (result.errors ?? [])
    .filter((error) => error.path?.[0] !== PROBE_KEY)
    .map(
      (error) =>
        new GraphQLError(error.message, {
          ...(error.path ? { path: [lookup.rootKey, ...error.path] } : {}),
          ...(error.extensions ? { extensions: error.extensions } : {}),
        }),
    );
  return {
    data: { [lookup.rootKey]: delivered },
    ...(errors.length > 0 ? { errors } : {}),
    extensions: { eventId: String(event.seq) },
  };
}
