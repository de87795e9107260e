import type { SubgraphFeatureFactory } from '../server/contract.ts';
import { eventFeedRoute } from './event-feed-route.ts';
import { startRetention } from './event-retention.ts';
import { RecordEventLog } from './record-event-log.ts';
import { recordEventSettings } from './record-event-options.ts';
import { RECORD_EVENTS_CHANNEL } from './record-event-outbox.ts';
import { refuseSubscriptions } from './refuse-subscriptions.ts';

/**
 * Record events, the read side: the `GET /events` feed the gateway subscribes to, retention of the
 * outbox, and the refusal of subscription operations sent to the subgraph itself. The write side (one
 * outbox row per written record, in the write's transaction) is the WriteRunner's, so events are
 * recorded whether or not this feature is built.
 */
export const recordEvents: SubgraphFeatureFactory = {
  name: 'record-events',
  async build({ db, log, recordEvents: options }) {
    const settings = recordEventSettings(options);
    const events = new RecordEventLog(db);
    const retention = startRetention(events, settings, log);
    const unlisten = await db.listen(RECORD_EVENTS_CHANNEL, () => events.committed.fire());
    return {
      transformSchema: refuseSubscriptions,
      routes: (routing) => routing.shell.route('/events', eventFeedRoute(events, routing, settings, log)),
      close: async () => {
        await retention.stop();
        await unlisten();
      },
    };
  },
};
