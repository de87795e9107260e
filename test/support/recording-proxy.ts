import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GATEWAY_REQUEST_ID_HEADER } from '../../lib/observability/request-metadata.ts';

/** A pass-through HTTP hop between the gateway and a subgraph that remembers the headers it carried. */
export interface RecordingProxy {
  url: string;
  /** Where requests go; set once the real subgraph is listening. */
  target: string | undefined;
  /** Headers of every request forwarded so far, oldest first. */
  readonly seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * Starts the hop on 127.0.0.1 at a free port. It forwards the body and the headers a subgraph reads
 * (content type, the request id an identity is bound to, and `forwardedHeaders`), and answers with the subgraph's status and body.
 */
export async function startRecordingProxy(forwardedHeaders: readonly string[]): Promise<RecordingProxy> {
  const proxy: RecordingProxy = { url: '', target: undefined, seen: [], close: async () => undefined };
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    proxy.seen.push(req.headers);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', GATEWAY_REQUEST_ID_HEADER, ...forwardedHeaders]) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      const upstream = await fetch(proxy.target!, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      });
      res
        .writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' })
        .end(await upstream.text());
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
    }
  };
  // node:http ignores a handler's promise: a rejection (a client that hangs up while its body is read) would be
  // unhandled and fail the test run, so it ends that one connection instead.
  const server = createServer((req, res) => {
    forward(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}
