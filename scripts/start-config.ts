import { z } from 'zod';
import { parseEnv, portSchema, postgresUrlSchema } from '../lib/config/env.ts';
import type { SubgraphEntry } from '../lib/config/supergraph-config.ts';

/** What `npm start` needs to know per subgraph. */
export interface SupervisedSubgraph {
  entry: SubgraphEntry;
  port: number;
  databaseUrl: string | undefined;
}

/** Configuration of `npm start`: the gateway's port and, per subgraph, `<NAME>_PORT` and `<NAME>_DATABASE_URL`. */
export function loadStartConfig(subgraphs: readonly SubgraphEntry[]) {
  const perSubgraph = Object.fromEntries(
    subgraphs.flatMap((subgraph) => [
      [`${subgraph.envPrefix}_PORT`, portSchema.default(subgraph.port)],
      [`${subgraph.envPrefix}_DATABASE_URL`, postgresUrlSchema.optional()],
    ]),
  );
  const env = parseEnv(
    z.object({
      PORT: portSchema.default(4000),
      /** How long a service may take to become ready (a large seed takes minutes). */
      STARTUP_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(300_000),
      ...perSubgraph,
    }),
  ) as Record<string, unknown> & { PORT: number; STARTUP_TIMEOUT_MS: number };
  return {
    gatewayPort: env.PORT,
    startupTimeoutMs: env.STARTUP_TIMEOUT_MS,
    subgraphs: subgraphs.map<SupervisedSubgraph>((entry) => ({
      entry,
      port: env[`${entry.envPrefix}_PORT`] as number,
      databaseUrl: env[`${entry.envPrefix}_DATABASE_URL`] as string | undefined,
    })),
  };
}
