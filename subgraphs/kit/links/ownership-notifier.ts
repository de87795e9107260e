import type { JWK } from 'jose';
import type { Caller } from '../../../lib/authz/principal.ts';
import type { SubgraphEntry } from '../../../lib/config/supergraph-config.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { Db, Queryable } from '../db/db.ts';
import { type IdentityFor, NO_NOTIFIER, type OwnershipChangeNotifier } from '../write/write-runner.ts';
import type { SnapshotKeeper } from './keeper-delivery.ts';
import { enqueueNotifications } from './notification-outbox.ts';
import { NotificationRelay, type RelayOptions } from './notification-relay.ts';
import { relayIdentities } from './relay-identities.ts';

/** Options for {@link OwnershipNotifier}: the relay's, and the key it mints identities with. */
export interface OwnershipNotifierOptions extends RelayOptions {
  /**
   * The private JWK retries sign their identities with (NOTIFICATION_IDENTITY_KEY_FILE); omitted, the
   * development gateway key; `null`, none, so only the first attempt (with the writing request's identities) can succeed.
   */
  identityKey?: JWK | null | undefined;
}

/**
 * Tells the subgraphs that snapshot this one's records (schema/supergraph.yaml `snapshots`) that some changed
 * ownership, durably: the write keeps a notification per keeper and record in its own transaction (kit
 * migration 007), the first delivery is attempted and awaited after commit with the identities the gateway
 * minted for the request, so in the usual case the snapshots are current when the write answers, and the
 * relay retries what was not acknowledged, with backoff and fresh identities, until the keeper takes it.
 * Identities are never logged.
 */
export class OwnershipNotifier implements OwnershipChangeNotifier {
  private relay: NotificationRelay | undefined;

  constructor(
    private readonly self: string,
    private readonly keepers: readonly SnapshotKeeper[],
    private readonly log: Logger,
    private readonly options: OwnershipNotifierOptions = {},
  ) {}

  enqueue(tx: Queryable, records: readonly { entity: string; id: string }[], caller: Caller): Promise<string[]> {
    return enqueueNotifications(
      tx,
      this.keepers.map((keeper) => keeper.name),
      records,
      caller,
    );
  }

  /** Without a relay (a server built without the ownership-notifications feature) the rows wait for one. */
  async notify(seqs: readonly string[], identityFor: IdentityFor): Promise<void> {
    await this.relay?.deliverNow(seqs, identityFor);
  }

  /** Starts the relay of this subgraph's outbox; one server per notifier. */
  startRelay(db: Db): { stop(): Promise<void> } {
    const keepers = new Map(this.keepers.map((keeper) => [keeper.name, keeper]));
    const relay = new NotificationRelay(db, keepers, relayIdentities(this.self, this.options.identityKey), this.log, this.options);
    this.relay = relay;
    relay.start();
    return relay;
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
  return keepers.length === 0 ? NO_NOTIFIER : new OwnershipNotifier(name, keepers, log, options);
}
