import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { badRequest, databaseUnavailable, ErrorCode, internalError, unauthenticated } from '../../../lib/errors/index.ts';
import type { Route } from '../../../lib/http/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { FeatureRouting } from '../server/contract.ts';
import { streamEvents } from './event-stream.ts';
import type { RecordEventLog } from './record-event-log.ts';
import type { RecordEventSettings } from './record-event-options.ts';

/** Seqs are bigserial; fifteen digits stay exact as JavaScript numbers and outlast any outbox. */
const POSITION = /^\d{1,15}$/;

/**
 * `GET /events?after=<seq>`: the subgraph's record events as Server-Sent Events, for the gateway,
 * which resolves each event as each subscriber before delivering anything. Authenticated like
 * `/graphql` (a gateway identity for this subgraph, bound to its liaison-request-id), else 401. The
 * position is the `Last-Event-ID` header when present (a reconnecting reader's latest), else `after`;
 * with neither, the feed starts now, with new events only, and says first (a `position` event) which
 * seq "now" was, for the reader to resume from.
 */
export function eventFeedRoute(events: RecordEventLog, routing: FeatureRouting, settings: RecordEventSettings, log: Logger): Route {
  return async (req, res) => {
    if (req.method !== 'GET') return refuse(res, 405, badRequest('The record-event feed answers GET only'), { allow: 'GET' });
    let caller;
    try {
      caller = await routing.identify(req);
    } catch (error) {
      return refuse(res, 401, error instanceof GraphQLError ? error : unauthenticated('Unauthenticated: gateway identity rejected'));
    }
    const position = positionOf(req);
    if (position === 'invalid') {
      return refuse(res, 400, badRequest('after and Last-Event-ID must be the seq of an event received (digits), or absent'));
    }
    let from;
    try {
      from = position ?? (await events.latest());
    } catch (error) {
      log.error({ err: error }, 'record-event feed refused: reading the outbox failed');
      return refuse(res, 503, databaseUnavailable(error as Error));
    }
    log.info({ after: from, resumed: position !== undefined, by: caller.principal?.subject }, 'record-event feed opened');
    await streamEvents(res, events, from, settings, () => routing.shell.draining, log, position === undefined).catch((error: unknown) => {
      log.error({ err: error }, 'record-event feed failed');
      if (!res.writableEnded) res.end();
    });
  };
}

/** The reader's position: Last-Event-ID first (EventSource resends it with the original URL), then `after`. */
function positionOf(req: IncomingMessage): number | undefined | 'invalid' {
  const header = req.headers['last-event-id'];
  const after = new URL(req.url ?? '/', 'http://feed').searchParams.get('after');
  const given = typeof header === 'string' && header.trim() !== '' ? header.trim() : after;
  if (given === null || given === '') return undefined;
  return POSITION.test(given) ? Number(given) : 'invalid';
}

/** A refusal before the stream opens, as JSON with the error's stable code (an unexpected one is masked). */
function refuse(res: ServerResponse, status: number, error: GraphQLError | undefined, headers: Record<string, string> = {}): void {
  const { http: _http, ...extensions } = (error?.extensions ?? {}) as Record<string, unknown>;
  const body = error && extensions['code'] !== ErrorCode.Internal ? { message: error.message, extensions } : internalError();
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
    .end(JSON.stringify({ errors: [body] }));
}
