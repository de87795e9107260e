import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the hop does with one request. */
export type Fault =
  /** Forwards it and relays the answer. */
  | { kind: 'pass' }
  /** Forwards it, and relays the answer after `ms`. */
  | { kind: 'delay'; ms: number }
  /** Never answers. */
  | { kind: 'hang' }
  /** Answers `status` without forwarding, as a failing load balancer would. */
  | { kind: 'status'; status: number }
  /** Forwards it (the subgraph executes it), then cuts the connection instead of answering. */
  | { kind: 'drop' }
  /** Cuts the connection at once, without forwarding. */
  | { kind: 'reset' };

/** An HTTP hop in front of a subgraph that fails on command, and remembers what it was sent. */
export interface FaultProxy {
  url: string;
  /** Applies to every request once the planned ones are used up. */
  fault: Fault;
  /** Faults for the next requests, one each, before {@link FaultProxy.fault} applies again. */
  plan(...faults: Fault[]): void;
  /** Bodies of every request received so far, oldest first. */
  readonly bodies: string[];
  close(): Promise<void>;
}

/** Starts the hop on 127.0.0.1 at a free port, forwarding to the GraphQL endpoint `target`. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const planned: Fault[] = [];
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    proxy.bodies.push(body);
    const fault = planned.shift() ?? proxy.fault;
    if (fault.kind === 'hang') return;
    if (fault.kind === 'reset') return void req.socket.destroy();
    if (fault.kind === 'status') return void res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('unavailable');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    try {
      const upstream = await fetch(target, { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
      const text = await upstream.text();
      if (fault.kind === 'drop') return void req.socket.destroy();
      if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
    } catch {
      req.socket.destroy();
    }
  };
  // node:http ignores a handler's promise: a rejection (a client that hangs up while its body is read) would be
  // unhandled and fail the test run, so it ends that one connection instead.
  const server = createServer((req, res) => {
    forward(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    fault: { kind: 'pass' },
    plan: (...faults) => void planned.push(...faults),
    bodies: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return proxy;
}
