import type { ServerResponse } from 'node:http';
import { ErrorCode } from '../../../lib/errors/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { isDatabaseUnavailable } from '../db/database-unavailable.ts';
import type { RecordEvent, RecordEventLog } from './record-event-log.ts';
import type { RecordEventSettings } from './record-event-options.ts';

/** One SSE frame: the seq as its id, so a reader that reconnects sends it back as Last-Event-ID. */
export const recordFrame = (event: RecordEvent): string => `id: ${event.seq}\nevent: record\ndata: ${JSON.stringify(event)}\n\n`;

/**
 * Streams the events after `from` to `res` as Server-Sent Events: first the backlog in seq order, a
 * bounded batch per read, then each new event as it commits (woken by its NOTIFY; a poll interval at most). It ends when the
 * reader goes away (polling stops with it), when the subgraph starts to drain (so the drain is not held
 * up; the reader resumes elsewhere with its last id), after a single `missed` event when retention has
 * deleted events past the reader's position, or after an `error` event when the database fails.
 * With `announce`, a `position` event carrying `from` comes first.
 */
export async function streamEvents(
  res: ServerResponse,
  events: RecordEventLog,
  from: number,
  settings: RecordEventSettings,
  draining: () => boolean,
  log: Logger,
  announce = false,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    // Proxies that buffer responses (nginx) would hold events back.
    'x-accel-buffering': 'no',
  });
  // A reader that came without a position learns where "now" was, so that a reconnection after a drop
  // resumes from there rather than from a later "now", which would skip what committed in between.
  if (announce) res.write(`id: ${from}\nevent: position\ndata: ${from}\n\n`);
  else res.flushHeaders();
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  let cursor = from;
  let lastWrite = Date.now();
  while (!gone.signal.aborted && !draining()) {
    let page;
    try {
      page = await events.after(cursor, settings.batchSize);
    } catch (error) {
      const code = isDatabaseUnavailable(error) ? ErrorCode.DatabaseUnavailable : ErrorCode.Internal;
      log.error({ err: error, after: cursor }, 'record-event feed stopped: reading the outbox failed');
      res.write(`event: error\ndata: ${JSON.stringify({ code })}\n\n`);
      break;
    }
    if (page.prunedThrough > cursor) {
      res.write(`event: missed\ndata: ${JSON.stringify({ oldestSeq: page.prunedThrough + 1 })}\n\n`);
      break;
    }
    let open = true;
    for (const event of page.events) {
      open = res.write(recordFrame(event));
      cursor = event.seq;
    }
    if (page.events.length > 0) lastWrite = Date.now();
    else if (Date.now() - lastWrite >= settings.keepaliveMs) {
      open = res.write(': keepalive\n\n');
      lastWrite = Date.now();
    }
    // A slow reader holds the loop here rather than letting unread events pile up in memory.
    if (!open) await drained(res, gone.signal);
    // A full batch means more are waiting: read on at once.
    if (page.events.length < settings.batchSize) await events.committed.next(settings.pollIntervalMs, gone.signal);
  }
  if (!res.writableEnded) res.end();
}

function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
