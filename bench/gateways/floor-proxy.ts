import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type ConstDirectiveNode, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { Agent } from 'undici';
import { z } from 'zod';
import { parseEnv, startOrExit } from '../../lib/config/env.ts';
import { readBody } from '../../lib/http/index.ts';
import { IDENTITY_HEADER } from '../../lib/identity/internal-identity.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../../lib/observability/request-metadata.ts';
import { identityReissuer } from './identity-reissuer.ts';

// The least a JavaScript gateway in front of these subgraphs can do per request, as a floor to read
// the gateways' CPU against (`--scenario floor`): read the body, route the operation by its first root
// field to the one subgraph that owns it, sign a fresh identity for that fetch (as the peers do, from
// the identity the client sends), forward the body untouched over a keep-alive pool and relay the
// answer byte for byte. No planning, field rules, cost, limits, logs or metrics; it serves only
// operations that one subgraph answers whole (lookups and searches), and is no product code.
/** As Liaison's default MAX_BODY_BYTES. */
const MAX_BODY_BYTES = 1_000_000;

await startOrExit(async () => {
  const env = parseEnv(z.object({ BENCH_SUPERGRAPH: z.string().min(1) }));
  const owners = rootFieldOwners(readFileSync(env.BENCH_SUPERGRAPH, 'utf8'));
  const reissue = await identityReissuer();
  const pool = new Agent({ keepAliveTimeout: 60_000, connections: 128 });
  const routes = new Map<string, { subgraph: string; origin: string; path: string }>();
  const routeOf = (query: string) => {
    let route = routes.get(query);
    if (!route) {
      const operation = parse(query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      const field = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
      const owner = field?.kind === Kind.FIELD ? owners.get(field.name.value) : undefined;
      if (!owner) throw new Error('not a single-subgraph operation');
      const url = new URL(owner.url);
      routes.set(query, (route = { subgraph: owner.name, origin: url.origin, path: url.pathname }));
    }
    return route;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req, MAX_BODY_BYTES);
      const route = routeOf((JSON.parse(body) as { query: string }).query);
      const requestId = randomUUID();
      const identity = await reissue(String(req.headers[IDENTITY_HEADER]), route.subgraph, requestId);
      const answer = await pool.request({
        origin: route.origin,
        path: route.path,
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity, [GATEWAY_REQUEST_ID_HEADER]: requestId },
        body,
      });
      const text = await answer.body.text();
      res.writeHead(answer.statusCode, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    })().catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : 'failed');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.send?.({ ready: `http://127.0.0.1:${address.port}/` });
  });
  const stop = () => server.close(() => void pool.close().finally(() => process.exit(0)));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
});

/** Query and Mutation fields → the subgraph that resolves them, by the supergraph's @join__field(graph:). */
function rootFieldOwners(supergraph: string): Map<string, { name: string; url: string }> {
  const document = parse(supergraph);
  const argument = (directive: ConstDirectiveNode, name: string) => {
    const value = directive.arguments?.find((arg) => arg.name.value === name)?.value;
    return value && (value.kind === Kind.STRING || value.kind === Kind.ENUM) ? value.value : undefined;
  };
  const graphs = new Map<string, { name: string; url: string }>();
  const owners = new Map<string, { name: string; url: string }>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph')
      for (const value of definition.values ?? []) {
        const graph = value.directives?.find((d) => d.name.value === 'join__graph');
        if (graph) graphs.set(value.name.value, { name: argument(graph, 'name')!, url: argument(graph, 'url')! });
      }
  }
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || !['Query', 'Mutation'].includes(definition.name.value)) continue;
    for (const field of definition.fields ?? []) {
      const joins = field.directives?.filter((d) => d.name.value === 'join__field') ?? [];
      const graph = joins.length === 1 ? graphs.get(argument(joins[0]!, 'graph') ?? '') : undefined;
      if (graph) owners.set(field.name.value, graph);
    }
  }
  return owners;
}
