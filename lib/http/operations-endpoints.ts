import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROMETHEUS_CONTENT_TYPE } from '../observability/metrics-registry.ts';

/** A readiness verdict: 200 with `body` when ready, else 503 with `body` saying why. */
export interface Readiness {
  ready: boolean;
  body: Record<string, unknown>;
}

/** What a service's operations endpoints report. */
export interface OperationsEndpointsOptions {
  /** Whether the service should be sent traffic now. */
  readiness: () => Promise<Readiness>;
  /** Prometheus exposition of the service's metrics; without it `/metrics` is left to another listener (OPS_PORT). */
  metrics?: () => Promise<string>;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));

/**
 * The endpoints every Liaison process serves beside its GraphQL endpoint: `/health` (liveness: the
 * process serves HTTP; it asks nothing else, so an outage elsewhere never gets it restarted),
 * `/ready` (readiness) and `/metrics` (when given). Answers true when it served the request.
 */
export function operationsEndpoints(options: OperationsEndpointsOptions) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      json(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/ready') {
      void options.readiness().then(
        ({ ready, body }) => json(res, ready ? 200 : 503, body),
        () => json(res, 503, { status: 'unready' }),
      );
      return true;
    }
    if (path === '/metrics' && options.metrics) {
      void options.metrics().then(
        (text) => res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(text),
        () => json(res, 500, { status: 'error' }),
      );
      return true;
    }
    return false;
  };
}
