import type { Logger } from '../observability/logger.ts';

/** A started service that can be stopped. */
export interface Stoppable {
  close(): Promise<void>;
}

/** Time {@link Stoppable.close} gets beyond its own drain bound before the process exits regardless. */
const CLOSE_MARGIN_MS = 5_000;

/**
 * Keeps a service running until SIGINT/SIGTERM, or until the `npm start` supervisor that forked it
 * goes away (its IPC channel closes), so no process is ever orphaned. Tells the supervisor the URL it
 * listens on once ready, with `announce` (e.g. the gateway's operational origin). Stopping drains:
 * `close` stops accepting and lets in-flight requests finish within `drainMs`; should it hang past
 * that (and a margin), the process exits with code 1.
 */
export function runUntilStopped(
  service: Stoppable,
  url: string,
  log: Logger,
  drainMs = 10_000,
  announce: Record<string, string> = {},
): void {
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason, drainMs }, 'stopping: draining in-flight requests');
    const timer = setTimeout(() => process.exit(1), drainMs + CLOSE_MARGIN_MS).unref();
    try {
      await service.close();
    } finally {
      clearTimeout(timer);
      log.info('stopped');
      // Logs are written asynchronously: exiting at once could lose the last lines.
      setTimeout(() => process.exit(0), 1_000);
      log.flush(() => process.exit(0));
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (process.send) {
    process.on('disconnect', () => void stop('supervisor gone'));
    process.send({ ...announce, ready: url });
  }
}
