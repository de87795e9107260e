import { readFileSync } from 'node:fs';
import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES } from '@apollo/federation-internals';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { z } from 'zod';
import { parseEnv, startOrExit } from '../../lib/config/env.ts';
import { IDENTITY_HEADER } from '../../lib/identity/internal-identity.ts';

// Plain @apollo/gateway as most users deploy it: the standalone server, the supergraph from a file,
// the default data source. It only forwards the pre-issued gateway identity the client sends, which
// is all the subgraphs need to answer it as they answer Liaison.
await startOrExit(async () => {
  // @apollo/gateway refuses a supergraph linking security features it does not enforce. The subgraphs
  // enforce them on every request anyway, so the plain gateway is told to accept them, as a user
  // would have to; it adds no work per request.
  for (const feature of ['authenticated', 'requiresScopes', 'policy'])
    DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES.add(`https://specs.apollo.dev/${feature}/v0.1`);
  const env = parseEnv(z.object({ BENCH_SUPERGRAPH: z.string().min(1) }));
  const server = new ApolloServer<{ identity: string | undefined }>({
    gateway: new ApolloGateway({
      supergraphSdl: readFileSync(env.BENCH_SUPERGRAPH, 'utf8'),
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<{ identity: string | undefined }>({
          url,
          willSendRequest({ request, context }) {
            if (context.identity) request.http?.headers.set(IDENTITY_HEADER, context.identity);
          },
        }),
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ identity: req.headers[IDENTITY_HEADER] as string | undefined }),
  });
  process.send?.({ ready: `${url.replace(/\/$/, '')}/` });
  process.on('disconnect', () => void server.stop().finally(() => process.exit(0)));
  process.on('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
});
