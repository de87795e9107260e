import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/subgraph-server.ts';
import { createContext, type StolenPropertyContext } from './context.ts';
import { resolvers } from './resolvers.ts';
import { seedStolenProperty } from './seed.ts';

export const definition: SubgraphDefinition<StolenPropertyContext> = {
  name: 'stolen-property',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  seed: seedStolenProperty,
  createContext,
};

/** Builds the stolen-property subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definition, options);
