import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Caller } from '../../lib/authz/principal.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { X_REQUEST_ID, callerRequestIdOf, runInRequestScope } from '../../lib/observability/request-scope.ts';
import type { GatewayMetrics, Outcome } from './gateway-metrics.ts';

/**
 * What operators learn about one GraphQL request: who asked (subject and agency, never the token),
 * what (the operation's name and type, never its text or variables), how it ended and how long it took.
 */
export interface RequestRecord {
  /** The id the partner traces the request by: its own `x-request-id` when acceptable, else {@link gatewayRequestId}. */
  readonly requestId: string;
  /** The gateway's own id, always generated here: partners choose theirs, so two may send the same. */
  readonly gatewayRequestId: string;
  /** The partner's `x-request-id`, when it sent an acceptable one. */
  readonly partnerRequestId: string | null;
  /**
   * SHA-256 of the document the partner sent, as Apollo computed it on arrival: the authorizing gateway
   * may run a rewrite without the fields it withholds, but the audit trail names what was asked.
   */
  operationHash?: string;
  caller?: Caller;
  operationName?: string | null;
  operationType?: string;
  outcome?: Outcome;
  errorCodes: string[];
}

const records = new WeakMap<IncomingMessage, RequestRecord>();

/** The record of a request being served through {@link requestObserver}. */
export function recordOf(req: IncomingMessage): RequestRecord {
  let record = records.get(req);
  if (!record) {
    const gatewayRequestId = randomUUID();
    const partnerRequestId = callerRequestIdOf(req);
    record = { requestId: partnerRequestId ?? gatewayRequestId, gatewayRequestId, partnerRequestId, errorCodes: [] };
    records.set(req, record);
  }
  return record;
}

/**
 * Wraps the GraphQL handler: gives each request its ids (its own, and the one the client traces it
 * by: the client's `x-request-id`, or its own), returns the latter in the response header, runs the
 * request in a log scope so every line it causes carries both, then writes one `graphql request`
 * line and counts it in the metrics.
 */
export function requestObserver(log: Logger, metrics: GatewayMetrics) {
  return (req: IncomingMessage, res: ServerResponse, handle: () => Promise<void>): Promise<void> => {
    const started = performance.now();
    const record = recordOf(req);
    res.setHeader(X_REQUEST_ID, record.requestId);
    let logged = false;
    // On `finish` (the response is written), so the line is out before the connection closes and a
    // draining server reports itself stopped; on `close` only for a response cut short.
    const logLine = () => {
      if (logged) return;
      logged = true;
      const seconds = (performance.now() - started) / 1000;
      const outcome = record.outcome ?? (res.statusCode >= 400 || !res.writableFinished ? 'error' : 'ok');
      metrics.request(res.statusCode, outcome, seconds);
      const principal = record.caller?.principal;
      log.info(
        {
          requestId: record.requestId,
          gatewayRequestId: record.gatewayRequestId,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
          subject: principal?.subject ?? null,
          agency: principal?.agency ?? null,
          purpose: record.caller?.purpose?.code ?? null,
          operationName: record.operationName ?? null,
          operationType: record.operationType ?? null,
          outcome,
          ...(record.errorCodes.length > 0 ? { errorCodes: [...new Set(record.errorCodes)] } : {}),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'graphql request',
      );
    };
    res.once('finish', logLine);
    res.once('close', logLine);
    return runInRequestScope({ requestId: record.requestId, gatewayRequestId: record.gatewayRequestId }, handle);
  };
}

/** Records the operation and the outcome of each request into its {@link RequestRecord}. */
export function observerPlugin<C extends { request: RequestRecord }>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue }) {
      const record = contextValue.request;
      return {
        async didResolveSource({ queryHash }) {
          record.operationHash = queryHash;
        },
        async didResolveOperation({ operationName, operation }) {
          // Client-chosen text: kept short so a log line stays a log line.
          record.operationName = operationName?.slice(0, 100) ?? null;
          record.operationType = operation?.operation;
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          for (const error of errors ?? []) record.errorCodes.push(String(error.extensions?.code ?? 'UNKNOWN'));
          record.outcome = !errors?.length ? 'ok' : data ? 'partial' : 'error';
        },
      };
    },
  };
}
