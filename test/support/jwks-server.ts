import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A partner token issuer's JWKS endpoint whose key set a test can change, and that counts its fetches. */
export interface JwksServer {
  url: string;
  /** Replaces the published keys, as an issuer does when it rotates. */
  publish(keys: JWK[]): void;
  /** GET requests served so far. */
  hits(): number;
  close(): Promise<void>;
}

/** Serves `{ "keys": [...] }` on 127.0.0.1 at a free port. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let published = keys;
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publish: (next) => {
      published = next;
    },
    hits: () => hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
