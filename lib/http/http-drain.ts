import type { Server, ServerResponse } from 'node:http';

/** A server that can stop without cutting the requests it is serving. */
export interface Drainer {
  /** True once {@link Drainer.drain} was called: readiness reports it, so no new traffic is sent here. */
  readonly draining: boolean;
  /**
   * Stops accepting connections, lets in-flight requests finish (each response closes its keep-alive
   * connection) and resolves once all are done, or after `timeoutMs` by closing what is left.
   * Resolves with how many requests were cut at the bound.
   */
  drain(timeoutMs: number): Promise<number>;
}

/** Tracks the in-flight requests of `http` so that it can be drained. */
export function drainer(http: Server): Drainer {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const closeWhenDraining = (res: ServerResponse) => {
    if (draining && !res.headersSent) res.setHeader('connection', 'close');
  };
  http.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    closeWhenDraining(res);
    res.once('close', () => {
      inFlight.delete(res);
      // A response already under way when the drain began could not say `connection: close`.
      if (draining) setImmediate(() => http.closeIdleConnections());
    });
  });
  return {
    get draining() {
      return draining;
    },
    async drain(timeoutMs) {
      draining = true;
      inFlight.forEach(closeWhenDraining);
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        closed.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (finished) return 0;
      const cut = inFlight.size;
      http.closeAllConnections();
      await closed;
      return cut;
    },
  };
}
