import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ExecutionResult, GraphQLError } from 'graphql';
import { createHandler } from 'graphql-sse';
import type { Caller } from '../../../lib/authz/principal.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { callerFromRequest, type PartnerVerifier } from '../../auth/index.ts';
import type { FormatError } from '../../feature.ts';
import { recordOf } from '../../observability/index.ts';
import { type AdmitOperation, refusalByFeatures } from './admit-operation.ts';
import { admitSubscription } from './admit-subscription.ts';
import { eventIdOf, isStream, type SubscriptionEngine, type SubscriptionRequest } from './engine-contract.ts';
import { formatResult } from './format-result.ts';
import { guardedStream, streamOf } from './guarded-stream.ts';
import { refusalOf, refuse, singleConnectionAttempt, subscriptionOf } from './sse-request.ts';
import { streamEvents } from './sse-stream.ts';
import type { StreamRegistry } from './stream-registry.ts';
import type { TransportConfig } from './transport-config.ts';
import { shuttingDown } from '../../../lib/errors/index.ts';

/** What the SSE transport is built from. */
export interface SseTransportOptions {
  config: TransportConfig;
  /** Largest POST body accepted (MAX_BODY_BYTES). */
  maxBodyBytes: number;
  engine: SubscriptionEngine;
  verify: PartnerVerifier;
  registry: StreamRegistry;
  format: FormatError;
  admit: AdmitOperation;
  log: Logger;
}

/** What one SSE request carries through graphql-sse's hooks. */
export interface SseContext {
  caller: Caller;
  request: SubscriptionRequest;
  /** The event id of each `next` graphql-sse is about to frame, in order, for the `id:` field. */
  eventIds: (string | undefined)[];
}

/** Whether a request to `/graphql` is for the SSE transport: it accepts `text/event-stream`, or tries graphql-sse's single connection mode. */
export function wantsSse(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept) || singleConnectionAttempt(req) !== undefined;
}

/** graphql-sse in distinct connections mode: one request, one subscription, credentials in the usual headers. */
export function sseTransport(options: SseTransportOptions) {
  const { engine, registry, format } = options;
  const callerOf = callerFromRequest(options.verify, options.log);
  const handler = createHandler<IncomingMessage, SseContext>({
    // No stream tokens: single connection mode is off, every request is its own stream.
    authenticate: () => null,
    async onSubscribe({ context }) {
      const { caller, request } = context;
      const admitted = admitSubscription(caller, request, registry, { transport: 'SSE' });
      if (Array.isArray(admitted)) return streamOf({ errors: admitted });
      let outcome;
      try {
        outcome = await engine.subscribe(caller, request);
      } catch (error) {
        admitted.release();
        return streamOf({ errors: [new GraphQLError('Internal server error', { originalError: error as Error })] });
      }
      if (isStream(outcome)) return guardedStream(outcome, admitted.release);
      admitted.release();
      return streamOf(outcome);
    },
    onNext(_ctx, { context }, result) {
      context.eventIds.push(eventIdOf(result as ExecutionResult));
      return formatResult(result as ExecutionResult, format) as ExecutionResult;
    },
  });
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const single = singleConnectionAttempt(req);
    if (single) return refuse(res, single, format);
    if (registry.closing) return refuse(res, { status: 503, error: shuttingDown() }, format);
    let caller: Caller;
    try {
      caller = await callerOf(req);
    } catch (error) {
      if (error instanceof GraphQLError) return refuse(res, refusalOf(error), format);
      throw error;
    }
    const record = recordOf(req);
    record.caller = caller;
    record.operationType = 'subscription';
    const request = await subscriptionOf(req, options.maxBodyBytes);
    if ('status' in request) return refuse(res, request, format);
    const refused = await refusalByFeatures(options.admit, caller, req, request);
    if (refused) return refuse(res, refusalOf(refused), format);
    record.operationName = request.operationName?.slice(0, 100) ?? null;
    const context: SseContext = { caller, request, eventIds: [] };
    const [body, init] = await handler({
      method: 'POST',
      url: req.url ?? '/graphql',
      // Parsed above: graphql-sse reads the parameters as a JSON body, and the stream as asked for.
      headers: { get: (name) => ({ accept: 'text/event-stream', 'content-type': 'application/json' })[name] ?? null },
      body: { ...request },
      raw: req,
      context,
    });
    if (body === null || typeof body === 'string') return void res.writeHead(init.status, init.headers).end(body ?? undefined);
    const expiresAt = caller.principal ? options.verify.expiresAt(caller.principal) : undefined;
    await streamEvents(res, init.headers ?? {}, body, { ...options, context, expiresAt });
  };
}
