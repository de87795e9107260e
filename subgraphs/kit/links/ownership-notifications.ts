import { Gauge } from 'prom-client';
import type { SubgraphFeatureFactory } from '../server/contract.ts';
import { NO_NOTIFIER } from '../write/write-runner.ts';
import { pendingNotifications } from './notification-outbox.ts';

/**
 * Ownership notifications, the delivery side: the relay that retries the outbox (kit migration 007) until
 * each keeper acknowledged, stopped when the server closes, and the gauge of what still waits. The write
 * side (a row per keeper and record, in the write's transaction, and a first delivery after commit) is the
 * WriteRunner's, so notifications are kept whether or not this feature is built; without it they wait for
 * a replica that runs it.
 */
export const ownershipNotifications: SubgraphFeatureFactory = {
  name: 'ownership-notifications',
  build({ name, db, notifier = NO_NOTIFIER, registry }) {
    if (notifier === NO_NOTIFIER) return {};
    if (registry) {
      new Gauge({
        name: 'liaison_ownership_notifications_pending',
        help: 'Ownership-change notifications kept until their snapshot keeper acknowledges them (every replica reports the shared outbox).',
        labelNames: ['subgraph'],
        registers: [registry],
        async collect() {
          // A scrape while the database is away keeps the last count rather than failing /metrics.
          const pending = await pendingNotifications(db).catch(() => undefined);
          if (pending !== undefined) this.set({ subgraph: name }, pending);
        },
      });
    }
    const relay = notifier.startRelay(db);
    return { close: () => relay.stop() };
  },
};
