import { decodeJwt } from 'jose';
import type { Dispatcher } from 'undici';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { SubgraphEntry } from '../../../lib/config/supergraph-config.ts';
import { type DelegatedIdentity, type IdentityFor, NO_NOTIFIER, type OwnershipChangeNotifier } from '../write/write-runner.ts';
import { callSubgraph, errorCodesOf } from './call-subgraph.ts';

/** A subgraph that keeps snapshots of this one's records; its URL is read at each delivery. */
export interface SnapshotKeeper {
  name: string;
  url(): string | undefined;
}

/** Options for {@link OwnershipNotifier}. */
export interface OwnershipNotifierOptions {
  /** Waits before the second, third, … delivery; none once the identity is about to expire. */
  retryDelaysMs?: readonly number[];
  /** How long one delivery may take. */
  timeoutMs?: number;
  /** How deliveries connect: an undici Agent verifying keepers' certificates with SUBGRAPH_CA_FILE; omitted, Node's fetch. */
  dispatcher?: Dispatcher | undefined;
}

/** What every snapshotting subgraph serves: it re-reads the records' ownership from their owner. */
const REFRESH = 'mutation RefreshLinkSnapshots($entity: String!, $ids: [ID!]!) { refreshLinkSnapshots(entity: $entity, ids: $ids) }';
/** Answers that a retry cannot change: the identity or the request itself was refused. */
const FINAL_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UNAUTHORIZED_FIELD_OR_TYPE',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
]);
/** A delivery must reach the keeper while the identity is still accepted there. */
const EXPIRY_MARGIN_MS = 2_000;

/**
 * Tells the subgraphs that snapshot this one's records (schema/supergraph.yaml `snapshots`) that some
 * changed ownership, by calling their `refreshLinkSnapshots(entity, ids)` with the identity the gateway
 * minted for that call, and the one the keeper asks this subgraph back with. The first delivery is
 * awaited, so in the usual case the snapshots are current when the write answers; failed deliveries are
 * retried in the background, with backoff, while the identity lives, then reported as an error naming
 * the records (the identity itself is never logged). An identity is good once: a retry helps when the
 * keeper was unreachable or refused the call before reading it (draining); one that had accepted it
 * refuses the retry as a replay, which is reported like any other failed delivery.
 */
export class OwnershipNotifier implements OwnershipChangeNotifier {
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher | undefined;

  constructor(
    private readonly keepers: readonly SnapshotKeeper[],
    private readonly log: Logger,
    options: OwnershipNotifierOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [250, 1_000, 3_000, 8_000, 15_000];
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.dispatcher = options.dispatcher;
  }

  async notify(entity: string, ids: string[], identityFor: IdentityFor): Promise<void> {
    await Promise.all(
      this.keepers.map((keeper) => {
        const presented = identityFor(keeper.name);
        return this.deliver(keeper, entity, ids, presented, expiryOf(presented.identity), 0);
      }),
    );
  }

  private async deliver(
    keeper: SnapshotKeeper,
    entity: string,
    ids: string[],
    presented: DelegatedIdentity,
    expiresAt: number,
    attempt: number,
  ): Promise<void> {
    const failure = await this.attempt(keeper, entity, ids, presented);
    if (failure === null) return;
    const delay = this.retryDelaysMs[attempt];
    const context = { subgraph: keeper.name, entity, ids, attempts: attempt + 1, reason: failure.reason };
    if (failure.final || delay === undefined || Date.now() + delay + EXPIRY_MARGIN_MS > expiresAt) {
      this.log.error(context, 'ownership change not delivered: the links keep their old snapshot until the next change or a refresh');
      return;
    }
    this.log.warn({ ...context, retryInMs: delay }, 'ownership change not delivered yet; retrying');
    setTimeout(() => void this.deliver(keeper, entity, ids, presented, expiresAt, attempt + 1), delay).unref();
  }

  /** Null when delivered; otherwise why not, and whether a retry could succeed. */
  private async attempt(
    keeper: SnapshotKeeper,
    entity: string,
    ids: string[],
    presented: DelegatedIdentity,
  ): Promise<{ reason: string; final: boolean } | null> {
    const url = keeper.url();
    if (url === undefined) return { reason: `no URL known for ${keeper.name}`, final: true };
    try {
      const answer = await callSubgraph(url, REFRESH, { entity, ids }, presented, this.timeoutMs, this.dispatcher);
      const codes = errorCodesOf(answer);
      if (codes.length === 0) return null;
      return { reason: `answered ${codes.join(', ')}`, final: codes.some((code) => FINAL_CODES.has(code)) };
    } catch (error) {
      return { reason: (error as Error).message, final: false };
    }
  }
}

/** When the identity stops being accepted, in ms since the epoch; now if it cannot be read. */
function expiryOf(identityToken: string): number {
  try {
    const { exp } = decodeJwt(identityToken);
    return typeof exp === 'number' ? exp * 1_000 : Date.now();
  } catch {
    return Date.now();
  }
}

/**
 * The notifier of subgraph `name`: one that tells every subgraph listing `name` in its `snapshots`,
 * reached at `urlOf(keeper)`, or nobody when no subgraph snapshots its records.
 */
export function ownershipNotifierFor(
  name: string,
  subgraphs: readonly SubgraphEntry[],
  urlOf: (name: string) => string | undefined,
  log: Logger,
  options?: OwnershipNotifierOptions,
): OwnershipChangeNotifier {
  const keepers = subgraphs
    .filter((subgraph) => subgraph.snapshots.includes(name))
    .map((subgraph) => ({ name: subgraph.name, url: () => urlOf(subgraph.name) }));
  return keepers.length === 0 ? NO_NOTIFIER : new OwnershipNotifier(keepers, log, options);
}
