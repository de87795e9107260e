import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header that carries a request's id from the client, to the subgraphs and back in the response. */
export const X_REQUEST_ID = 'x-request-id';

/** What every log line written while serving one request says about it. */
export interface RequestScope {
  /** The id the partner traces the request by: its own `x-request-id` when acceptable, else the gateway's. */
  requestId: string;
  /** The gateway's own id of the request, unique whatever partners send: audit entries are filed under it. */
  gatewayRequestId?: string | undefined;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** The scope of the request being served, if any: pino's mixin adds it to every log line. */
export const currentRequestScope = (): RequestScope | undefined => storage.getStore();

/** Runs `fn` (and everything it starts) as part of the request `scope`. */
export const runInRequestScope = <T>(scope: RequestScope, fn: () => T): T => storage.run(scope, fn);

/** Ids a caller may choose: short, and nothing that could break a log line or a header. */
export const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The caller's `x-request-id` (or `headerName`) when it has an acceptable shape, else null. */
export function callerRequestIdOf(req: IncomingMessage, headerName = X_REQUEST_ID): string | null {
  const value = req.headers[headerName];
  const given = Array.isArray(value) ? value[0] : value;
  return given !== undefined && ACCEPTED_REQUEST_ID.test(given) ? given : null;
}

/**
 * The request's id: the caller's `x-request-id` (or `headerName`) when it has an acceptable shape,
 * so a partner can trace its own requests through our logs; otherwise a fresh UUID.
 */
export const requestIdOf = (req: IncomingMessage, headerName = X_REQUEST_ID): string => callerRequestIdOf(req, headerName) ?? randomUUID();
