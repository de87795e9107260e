import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../observability/logger.ts';
import { drainer } from './http-drain.ts';

/** Answers the requests of one exact path. */
export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
/** Answers the requests it recognises (a prefix, a method) and says so by returning true. */
export type Fallback = (req: IncomingMessage, res: ServerResponse) => boolean;

/** The HTTP server every Liaison service runs in: routes, 404, keep-alive, drain, listen. */
export interface HttpShell {
  readonly http: Server;
  /** True once {@link HttpShell.drain} began: readiness reports it, so no new traffic is sent here. */
  readonly draining: boolean;
  /** Serves `path` (the query string aside) with `route`. */
  route(path: string, route: Route): void;
  /** Asks `fallback`, in registration order, about requests no route serves. */
  fallback(fallback: Fallback): void;
  /** Listens and resolves with the service's GraphQL endpoint URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting and lets in-flight requests finish for at most `timeoutMs`, then cuts what is left (and logs how many). */
  drain(timeoutMs: number): Promise<void>;
}

/** Options for {@link httpShell}. */
export interface HttpShellOptions {
  /**
   * Serve HTTPS only, with this certificate (and chain) and private key, PEM: a plain HTTP request to
   * the port fails its handshake. Chosen when the shell is built, since {@link HttpShell.http} is handed
   * out before anything listens.
   */
  tls?: { cert: Buffer | string; key: Buffer | string } | undefined;
}

/**
 * One shell for the gateway and every subgraph, so routing, the JSON 404, keep-alive and draining
 * behave alike in each. `node:http` rather than a framework: a handful of exact paths is all a service
 * serves, and Apollo's handler wants the raw request anyway.
 */
export function httpShell(log: Logger, options: HttpShellOptions = {}): HttpShell {
  const routes = new Map<string, Route>();
  const fallbacks: Fallback[] = [];
  const serve: RequestListener = (req, res) => {
    const route = routes.get((req.url ?? '/').split('?')[0]!);
    if (route) return void route(req, res);
    if (fallbacks.some((fallback) => fallback(req, res))) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  };
  const { tls } = options;
  // Node's defaults stand: TLS 1.2 or later, its cipher list. Nothing here asks for a client certificate.
  const http: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, serve) : createServer(serve);
  const scheme = tls ? 'https' : 'http';
  // Longer than the usual load balancer idle timeout (60 s), so the balancer closes idle connections first.
  http.keepAliveTimeout = 65_000;
  const drain = drainer(http);
  return {
    http,
    get draining() {
      return drain.draining;
    },
    route: (path, route) => void routes.set(path, route),
    fallback: (fallback) => void fallbacks.push(fallback),
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const { port: bound } = http.address() as AddressInfo;
          resolve(`${scheme}://${host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost'}:${bound}/graphql`);
        });
      }),
    async drain(timeoutMs) {
      const cut = await drain.drain(timeoutMs);
      if (cut > 0) log.warn({ cut, shutdownTimeoutMs: timeoutMs }, 'requests still running at the shutdown bound were cut');
    },
  };
}
