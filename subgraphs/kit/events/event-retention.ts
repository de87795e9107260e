import type { Logger } from '../../../lib/observability/logger.ts';
import type { RecordEventLog } from './record-event-log.ts';
import type { RecordEventSettings } from './record-event-options.ts';

/** Rows one delete removes: short statements, so writes waiting on the table are never held up long. */
const PRUNE_BATCH = 1_000;

/** Periodic retention of the outbox; `stop` waits for a run under way, so the database can close after it. */
export interface EventRetention {
  stop(): Promise<void>;
}

/**
 * Deletes events older than the retention window, at start and every interval: bounded batches, one
 * after another while they come back full. A failed run is logged and retried at the next interval;
 * replicas of one subgraph may run it at once (a row deleted by one is skipped by the other).
 */
export function startRetention(events: RecordEventLog, settings: RecordEventSettings, log: Logger): EventRetention {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    let total = 0;
    let deleted;
    do {
      deleted = await events.prune(settings.retentionHours, PRUNE_BATCH);
      total += deleted;
    } while (deleted === PRUNE_BATCH && !stopped);
    if (total > 0) log.info({ deleted: total, retentionHours: settings.retentionHours }, 'record events past retention deleted');
  };
  const tick = () => {
    if (running || stopped) return;
    running = run()
      .catch((error: unknown) => log.warn({ err: error }, 'record-event retention failed; retried at the next interval'))
      .finally(() => (running = undefined));
  };
  tick();
  const timer = setInterval(tick, settings.pruneIntervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
