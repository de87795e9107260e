import { createServer, type IncomingHttpHeaders, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP balancer in front of the replicas of one service, as a Kubernetes Service or a load balancer is. */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`: the service's one address, whichever replicas stand behind it. */
  origin: string;
  /** The replicas, by port on 127.0.0.1; a successor starts on its predecessor's port. */
  setBackends(ports: readonly number[]): void;
  /**
   * Sends no new request to the backend on `port` while `withheld`, as Kubernetes takes a terminating
   * pod out of its Service's endpoints: closing a listening socket resets the connections the kernel
   * accepted that the process never took, which no drain can serve.
   */
  withhold(port: number, withheld: boolean): void;
  /** Requests each backend (by position) answered. */
  readonly served: number[];
  /** Connections a backend refused (stopped, or not yet listening), each request sent on to the next backend. */
  readonly refused: number;
  /** Sees each request's body and the backend (by position) that answered it, while set. */
  observe: ForwardObserver | undefined;
  close(): Promise<void>;
}

/** Called with each request's body and the backend (by position) that answers it. */
export type ForwardObserver = (backend: number, body: Buffer) => void;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);
const endToEnd = (headers: IncomingHttpHeaders): IncomingHttpHeaders =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));

/**
 * Sends each request to the next backend in turn, each on a new connection. A backend whose connection
 * fails to open never saw the request, so the request goes to the next one, as a balancer skips an
 * endpoint that left; any other failure is the client's to see (a 502, or a cut response), never retried.
 */
export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let backends: readonly number[] = [];
  const withheld = new Set<number>();
  const served: number[] = [];
  let refused = 0;
  let next = 0;
  let observe: ForwardObserver | undefined;

  const forward = (
    client: IncomingMessage,
    body: Buffer,
    turn: number,
    attempt: number,
    respond: (upstream: IncomingMessage) => void,
    fail: (error: Error) => void,
  ) => {
    const open = backends.map((_, i) => i).filter((i) => !withheld.has(backends[i]!));
    if (open.length === 0) return fail(new Error('no backends'));
    // Onwards from this request's turn: concurrent requests move the turn, and must not send it back to the refusing backend.
    const backend = open[(turn + attempt) % open.length]!;
    const upstream = request({
      host: '127.0.0.1',
      port: backends[backend],
      method: client.method,
      path: client.url,
      headers: { ...endToEnd(client.headers), 'content-length': String(body.length) },
      // One connection per request: no idle keep-alive connection for a draining backend to close under it.
      agent: false,
    });
    upstream.once('response', (response) => {
      served[backend]! += 1;
      observe?.(backend, body);
      respond(response);
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      // Refused, or reset before the connection was up (seen once from a successor just starting to listen).
      if (error.syscall === 'connect' && attempt + 1 < open.length) {
        refused += 1;
        return forward(client, body, turn, attempt + 1, respond, fail);
      }
      fail(error);
    });
    upstream.end(body);
  };

  const server = createServer((client, res) => {
    const chunks: Buffer[] = [];
    client.on('data', (chunk: Buffer) => chunks.push(chunk));
    client.once('end', () =>
      forward(
        client,
        Buffer.concat(chunks),
        next++,
        0,
        (upstream) => {
          res.writeHead(upstream.statusCode ?? 502, endToEnd(upstream.headers));
          upstream.pipe(res);
          upstream.once('error', () => res.destroy());
          res.once('close', () => upstream.destroy());
        },
        (error) => {
          if (res.headersSent) return void res.destroy();
          res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `proxy: ${error.message}` }));
        },
      ),
    );
  });
  // Longer than any client's idle timeout, so the proxy is never the side that closes an idle connection.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    setBackends(ports) {
      backends = [...ports];
      for (let backend = served.length; backend < backends.length; backend++) served[backend] = 0;
    },
    withhold(port, withhold) {
      if (withhold) withheld.add(port);
      else withheld.delete(port);
    },
    served,
    get refused() {
      return refused;
    },
    get observe() {
      return observe;
    },
    set observe(observer) {
      observe = observer;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
