import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { drainer } from './http-drain.ts';

let server: Server | undefined;
afterEach(() => {
  server?.closeAllConnections();
  server = undefined;
});

/** A server answering `/?ms=N` after N ms, with keep-alive as the gateway's. */
async function slowServer() {
  server = createServer((req, res) => {
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
    setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(`waited ${ms}`), ms);
  });
  server.keepAliveTimeout = 65_000;
  const drain = drainer(server);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { drain, port: (server.address() as AddressInfo).port };
}

/** One GET over a fresh keep-alive connection: status, `connection` header and body, or the error. */
function get(port: number, ms: number): Promise<{ status: number; connection: string | undefined; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: `/?ms=${ms}`, headers: { connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
      res.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    });
    req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

describe('drainer', () => {
  it('lets in-flight requests finish, closing their connections after them, while refusing new ones', async () => {
    const { drain, port } = await slowServer();
    const inFlight = get(port, 400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const drained = drain.drain(5_000);
    expect(drain.draining).toBe(true);
    expect(await get(port, 0)).toEqual({ error: 'ECONNREFUSED' });
    expect(await inFlight).toEqual({ status: 200, connection: 'close', body: 'waited 400' });
    expect(await drained).toBe(0);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('does not wait for idle keep-alive connections', async () => {
    const { drain, port } = await slowServer();
    expect(await get(port, 0)).toMatchObject({ status: 200 });
    const started = performance.now();
    expect(await drain.drain(5_000)).toBe(0);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('cuts what is still running at the bound, and says how many', async () => {
    const { drain, port } = await slowServer();
    const stuck = get(port, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    expect(await drain.drain(300)).toBe(1);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_500);
    expect(await stuck).toHaveProperty('error');
  });
});
