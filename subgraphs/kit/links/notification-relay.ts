import type { Dispatcher } from 'undici';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { Db } from '../db/db.ts';
import type { IdentityFor } from '../write/write-runner.ts';
import { deliverToKeeper, type SnapshotKeeper } from './keeper-delivery.ts';
import { type Delivery, deliveriesOf } from './notification-batch.ts';
import { acknowledgeNotifications, callerOf, claimNotifications, rescheduleNotifications } from './notification-outbox.ts';
import type { RelayIdentities } from './relay-identities.ts';
import { type BackoffOptions, retryDelayMs } from './retry-backoff.ts';

/** How a relay polls and retries (OWNERSHIP_NOTIFICATION_POLL_MS, OWNERSHIP_NOTIFICATION_RETRY_MAX_MS). */
export interface RelayOptions {
  /** How often the outbox is read when nothing woke the relay: rows of other replicas, retries that fell due. */
  pollMs?: number | undefined;
  /** Waits between attempts of one notification. */
  backoff?: Partial<BackoffOptions> | undefined;
  /** How long one delivery may take. */
  timeoutMs?: number | undefined;
  /** How deliveries connect: an undici Agent verifying keepers' certificates with SUBGRAPH_CA_FILE; omitted, Node's fetch. */
  dispatcher?: Dispatcher | undefined;
}

/** Most records one claim takes: one pass is bounded, and so is one keeper call (refreshLinkSnapshots takes 100 ids). */
const BATCH_RECORDS = 100;

/**
 * Delivers the ownership-notification outbox to the keepers until each acknowledges, in this process: right
 * after a write commits (with the request's identities), when woken, and every `pollMs`. A full batch is
 * followed at once by the next; otherwise the relay sleeps, so an outbox of rows waiting out their backoff
 * costs one query per poll. Replicas share the outbox: a claim leases the records it delivers.
 */
export class NotificationRelay {
  private readonly pollMs: number;
  private readonly backoff: BackoffOptions;
  private readonly timeoutMs: number;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly keepers: ReadonlyMap<string, SnapshotKeeper>,
    private readonly identities: RelayIdentities,
    private readonly log: Logger,
    private readonly options: RelayOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 5_000;
    this.backoff = { firstMs: options.backoff?.firstMs ?? 500, maxMs: options.backoff?.maxMs ?? 60_000 };
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Reads the outbox now instead of at the next poll. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops polling and waits for the pass in flight (bounded by the delivery timeout); leases left expire. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  /** Delivers the rows a write just committed, with its request's identities for a first attempt. */
  async deliverNow(seqs: readonly string[], identityFor: IdentityFor): Promise<void> {
    if (seqs.length === 0) return;
    const rows = await claimNotifications(this.db, BATCH_RECORDS, this.leaseMs(), seqs);
    await Promise.all(deliveriesOf(rows).map((delivery) => this.deliver(delivery, identityFor)));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let full = false;
      try {
        const rows = await claimNotifications(this.db, BATCH_RECORDS, this.leaseMs());
        await Promise.all(deliveriesOf(rows).map((delivery) => this.deliver(delivery)));
        full = new Set(rows.map((row) => `${row.keeper} ${row.entity} ${row.record_id}`)).size >= BATCH_RECORDS;
      } catch (error) {
        this.log.warn({ err: error }, 'ownership notification outbox unreadable; retrying at the next poll');
      }
      if (!full && !this.stopped) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** One call to one keeper; the outcome is recorded in the outbox, never thrown. */
  private async deliver(delivery: Delivery, identityFor?: IdentityFor): Promise<void> {
    const { keeper: name, entity, through } = delivery;
    const ids = [...through.keys()];
    const keeper = this.keepers.get(name);
    // The request's own identities serve the first attempt (the gateway minted them, once); then fresh ones.
    const fromRequest = identityFor?.(name);
    const presented = keeper && (fromRequest?.identity ? fromRequest : await this.identities(name, callerOf(delivery.caller)));
    const failure =
      // A subgraph that no longer keeps snapshots (schema/supergraph.yaml) has nothing to refresh.
      !keeper
        ? null
        : !presented
          ? { reason: 'no identity to present: set NOTIFICATION_IDENTITY_KEY_FILE', refused: true }
          : await deliverToKeeper(keeper, entity, ids, presented, this.timeoutMs, this.options.dispatcher);
    try {
      if (failure === null) return await acknowledgeNotifications(this.db, name, entity, through);
      const attempts = delivery.attempts + 1;
      const retryInMs = retryDelayMs(attempts, this.backoff);
      await rescheduleNotifications(this.db, delivery.seqs, attempts, retryInMs, failure.reason);
      const context = { subgraph: name, entity, ids, attempts, retryInMs, reason: failure.reason };
      if (failure.refused) this.log.error(context, 'ownership change refused by its snapshot keeper; retrying');
      else this.log.warn(context, 'ownership change not delivered yet; retrying');
    } catch (error) {
      // The lease runs out and the rows are claimed again: a duplicate the keeper takes as a refresh.
      this.log.warn({ err: error, subgraph: name, entity, ids }, 'ownership notification outcome not recorded');
    }
  }

  /** One delivery's timeout twice over and a margin: a claim does not outlive the relay that took it by much. */
  private leaseMs(): number {
    return 2 * this.timeoutMs + 5_000;
  }
}
