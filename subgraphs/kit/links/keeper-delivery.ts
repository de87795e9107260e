import type { Dispatcher } from 'undici';
import { runInRequestScope } from '../../../lib/observability/request-scope.ts';
import type { DelegatedIdentity } from '../write/write-runner.ts';
import { callSubgraph, errorCodesOf } from './call-subgraph.ts';

/** A subgraph that keeps snapshots of this one's records; its URL is read at each delivery. */
export interface SnapshotKeeper {
  name: string;
  url(): string | undefined;
}

/** What every snapshotting subgraph serves: it re-reads the records' ownership from their owner. */
const REFRESH = 'mutation RefreshLinkSnapshots($entity: String!, $ids: [ID!]!) { refreshLinkSnapshots(entity: $entity, ids: $ids) }';
/** Answers that a retry with the same key cannot change: an operator must act (keys, grants, versions). */
const REFUSALS = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNAUTHORIZED_FIELD_OR_TYPE',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);

/** Why a delivery was not acknowledged, and whether it was refused (rather than not answered). */
export interface DeliveryFailure {
  reason: string;
  refused: boolean;
}

/**
 * Calls `refreshLinkSnapshots(entity, ids)` on the keeper once; null when it acknowledged (a count of links,
 * no error). With a `requestId` (minted identities) the call carries it as the gateway request id they are
 * bound to; without one, the current request's.
 */
export async function deliverToKeeper(
  keeper: SnapshotKeeper,
  entity: string,
  ids: string[],
  presented: DelegatedIdentity & { requestId?: string | undefined },
  timeoutMs: number,
  dispatcher: Dispatcher | undefined,
): Promise<DeliveryFailure | null> {
  const url = keeper.url();
  if (url === undefined) return { reason: `no URL known for ${keeper.name}`, refused: false };
  const call = () => callSubgraph<{ refreshLinkSnapshots?: unknown }>(url, REFRESH, { entity, ids }, presented, timeoutMs, dispatcher);
  const { requestId } = presented;
  try {
    const answer = requestId ? await runInRequestScope({ requestId, gatewayRequestId: requestId }, call) : await call();
    const codes = errorCodesOf(answer);
    if (codes.length > 0) return { reason: `answered ${codes.join(', ')}`, refused: codes.some((code) => REFUSALS.has(code)) };
    if (typeof answer.data?.refreshLinkSnapshots !== 'number') return { reason: 'answered without a count of links', refused: false };
    return null;
  } catch (error) {
    return { reason: (error as Error).message, refused: false };
  }
}
