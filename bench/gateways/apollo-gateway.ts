import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES } from '@apollo/federation-internals';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { z } from 'zod';
import { parseEnv, startOrExit } from '../../lib/config/env.ts';
import { IDENTITY_HEADER } from '../../lib/identity/internal-identity.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../../lib/observability/request-metadata.ts';
import { identityReissuer } from './identity-reissuer.ts';

// Plain @apollo/gateway as most users deploy it: the standalone server, the supergraph from a file,
// the default data source. It re-issues the identity the client sends for each subgraph fetch (see
// identity-reissuer.ts), which is all the subgraphs need to answer it as they answer Liaison.
await startOrExit(async () => {
  // @apollo/gateway refuses a supergraph linking security features it does not enforce. The subgraphs
  // enforce them on every request anyway, so the plain gateway is told to accept them, as a user
  // would have to; it adds no work per request.
  for (const feature of ['authenticated', 'requiresScopes', 'policy'])
    DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES.add(`https://specs.apollo.dev/${feature}/v0.1`);
  const env = parseEnv(z.object({ BENCH_SUPERGRAPH: z.string().min(1) }));
  const reissue = await identityReissuer();
  const server = new ApolloServer<{ identity: string | undefined; requestId: string }>({
    gateway: new ApolloGateway({
      supergraphSdl: readFileSync(env.BENCH_SUPERGRAPH, 'utf8'),
      buildService: ({ name, url }) =>
        new RemoteGraphQLDataSource<{ identity: string | undefined; requestId: string }>({
          url,
          async willSendRequest({ request, context }) {
            if (!context.identity) return;
            request.http?.headers.set(IDENTITY_HEADER, await reissue(context.identity, name, context.requestId));
            request.http?.headers.set(GATEWAY_REQUEST_ID_HEADER, context.requestId);
          },
        }),
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ identity: req.headers[IDENTITY_HEADER] as string | undefined, requestId: randomUUID() }),
  });
  process.send?.({ ready: `${url.replace(/\/$/, '')}/` });
  process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
  process.on('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
});
