import type { Logger } from './logger.ts';

/** A started service that can be stopped. */
export interface Stoppable {
  close(): Promise<void>;
}

/**
 * Keeps a service running until SIGINT/SIGTERM, or until the `npm start` supervisor that forked it
 * goes away (its IPC channel closes), so no process is ever orphaned. Tells the supervisor the URL it
 * listens on once ready.
 */
export function runUntilStopped(service: Stoppable, url: string, log: Logger): void {
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await service.close();
    } finally {
      clearTimeout(timer);
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (process.send) {
    process.on('disconnect', () => void stop('supervisor gone'));
    process.send({ ready: url });
  }
}
