// Hive Gateway as its Node.js integration documents it: the runtime behind node:http, the supergraph
// from a file, default options. HIVE_ROUTER_RUNTIME=true plans with the Rust query planner
// (@graphql-hive/router-runtime). For each subgraph fetch it re-issues the identity the client sends, for
// that subgraph and request, signed with the development gateway key (BENCH_IDENTITY_KEY), as Liaison
// signs its own: the subgraphs accept an identity once, at one subgraph, for one request.
// Plain JavaScript: this folder has its own node_modules, installed by the benchmark on first run.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const supergraphPath = process.env.BENCH_SUPERGRAPH;
if (!supergraphPath) throw new Error('BENCH_SUPERGRAPH must name the supergraph file');
const rust = process.env.HIVE_ROUTER_RUNTIME === 'true';
const { privateJwk } = JSON.parse(readFileSync(process.env.BENCH_IDENTITY_KEY, 'utf8'));
const key = createPrivateKey({ key: privateJwk, format: 'jwk' });
const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The client's identity claims, re-signed for one subgraph and request (ES256, as lib/identity signs). */
function reissue(clientIdentity, subgraph, requestId) {
  const claims = JSON.parse(Buffer.from(clientIdentity.split('.')[1], 'base64url').toString());
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims, aud: `liaison-subgraph:${subgraph}`, rid: requestId, jti: randomUUID(), iat: now, exp: now + 30 };
  const input = `${base64url({ alg: 'ES256', kid: privateJwk.kid })}.${base64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}
const requestIds = new WeakMap();

const gateway = createGatewayRuntime({
  supergraph: readFileSync(supergraphPath, 'utf8'),
  logging: 'error',
  landingPage: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request, subgraphName }) => {
      const identity = request.headers.get('liaison-identity');
      if (!identity) return {};
      if (!requestIds.has(request)) requestIds.set(request, randomUUID());
      const requestId = requestIds.get(request);
      return { 'liaison-identity': reissue(identity, subgraphName, requestId), 'liaison-request-id': requestId };
    },
  },
  ...(rust ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler } : {}),
});
const server = createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: `http://127.0.0.1:${server.address().port}/graphql` });
});
const stop = () => server.close(() => void gateway.dispose().finally(() => process.exit(0)));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
