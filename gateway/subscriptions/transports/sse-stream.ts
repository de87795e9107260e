import type { ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { shuttingDown, slowConsumer, tokenExpired } from '../../../lib/errors/index.ts';
import type { FormatError } from '../../feature.ts';
import { formatErrors } from './format-result.ts';
import type { SseContext } from './sse-transport.ts';
import { type Ending, onExpiry, type OpenStream, type StreamRegistry } from './stream-registry.ts';
import type { TransportConfig } from './transport-config.ts';

/** How long a stream ended for being slow, or for a shutdown, may take to flush its last events before its connection is cut. */
export const FLUSH_GRACE_MS = 2_000;

/** What {@link streamEvents} needs besides the response. */
export interface StreamOptions {
  config: TransportConfig;
  registry: StreamRegistry;
  format: FormatError;
  context: SseContext;
  /** When the subscriber's token stops being accepted (ms since the epoch). */
  expiresAt: number | undefined;
}

/** The last two events of a stream the gateway ends: the error saying why (as graphql-sse frames a result), then `complete`. */
export const finalEvents = (errors: readonly unknown[], format: FormatError): string =>
  `event: next\ndata: ${JSON.stringify({ errors: formatErrors(errors, format) })}\n\nevent: complete\ndata:\n\n`;

/**
 * Writes graphql-sse's events to the response as they come, each `next` with the event's id (`id:`, so
 * that an EventSource reconnects with `Last-Event-ID`), without waiting for a write to flush: more than
 * SUBSCRIPTIONS_MAX_BUFFERED_BYTES waiting in the response cuts the stream (SLOW_CONSUMER). A stream the
 * gateway ends (token expiry, slow consumer, shutdown) gets a last coded error and `complete`, then ends.
 */
export async function streamEvents(
  res: ServerResponse,
  headers: Record<string, string>,
  body: AsyncGenerator<string, void, undefined>,
  options: StreamOptions,
): Promise<void> {
  const { config, format, context } = options;
  let ended: Promise<void> | undefined;
  const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
  const endWith = (errors: readonly unknown[], grace: boolean): Promise<void> =>
    (ended ??= (async () => {
      if (res.writable) res.end(finalEvents(errors, format));
      void body.return();
      if (!grace) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, FLUSH_GRACE_MS)))]);
      clearTimeout(timer);
      if (!res.writableFinished) res.destroy();
    })());
  const stream: OpenStream = { end: (why: Ending) => endWith([errorFor(why, config.maxBufferedBytes)], why !== 'expired') };
  const untrack = options.registry.track(stream);
  const cancelExpiry = onExpiry(options.expiresAt, () => void stream.end('expired'));
  res.once('close', () => {
    cancelExpiry();
    untrack();
    void body.return();
  });
  // Proxies (nginx) buffer responses unless told not to; events must leave as they are written.
  res.writeHead(200, { ...headers, 'x-accel-buffering': 'no' });
  res.socket?.setNoDelay(true);
  try {
    for await (const chunk of body) {
      if (ended || !res.writable) break;
      const id = chunk.startsWith('event: next') ? context.eventIds.shift() : undefined;
      res.write(id ? `id: ${id}\n${chunk}` : chunk);
      if (res.writableLength > config.maxBufferedBytes) {
        await stream.end('slow');
        break;
      }
    }
  } catch (error) {
    // The stream threw (EVENTS_MISSED, or something unexpected, which is masked and logged).
    await endWith([error], false);
  }
  if (!ended && res.writable) res.end();
  await ended;
}

function errorFor(why: Ending, maxBufferedBytes: number): GraphQLError {
  if (why === 'expired') return tokenExpired();
  if (why === 'slow') return slowConsumer(maxBufferedBytes);
  return shuttingDown();
}
