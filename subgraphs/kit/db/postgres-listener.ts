import pg from 'pg';
import type { Logger } from '../../../lib/observability/logger.ts';

/** How long a lost listening connection waits before it connects again (doubling, capped). */
const RETRY_MS = { first: 200, max: 5_000 };

/**
 * LISTEN on `channel` over a connection of its own (a pooled one would be handed to other queries):
 * `onNotify` runs for every NOTIFY a committed transaction sent, from any replica. A lost connection
 * is reopened with backoff; meanwhile callers fall back on their own polling. Resolves once listening,
 * with the function that stops.
 */
export async function listenPostgres(url: string, channel: string, onNotify: () => void, log?: Logger): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = RETRY_MS.first;
  let timer: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, keepAlive: true });
    next.on('notification', (message) => message.channel === channel && onNotify());
    next.on('error', (error) => {
      log?.warn({ err: error.message, channel }, 'database listener lost; polling until it is back');
      void next.end().catch(() => undefined);
      if (client === next) client = undefined;
      schedule();
    });
    await next.connect();
    await next.query(`listen "${channel}"`);
    if (stopped) return void (await next.end());
    client = next;
    retryMs = RETRY_MS.first;
    // Whatever committed while it was away is found by the callers' next read.
    onNotify();
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      connect().catch(() => schedule());
    }, retryMs);
    timer.unref();
    retryMs = Math.min(RETRY_MS.max, retryMs * 2);
  };
  await connect().catch((error: Error) => {
    log?.warn({ err: error.message, channel }, 'database listener not connected; polling until it is');
    schedule();
  });
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await client?.end().catch(() => undefined);
  };
}
