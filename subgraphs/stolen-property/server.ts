import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/index.ts';
import { createContext, type StolenPropertyContext } from './context.ts';
import type { PropertyRow } from './property-row.ts';
import { resolvers } from './resolvers.ts';
import { seedStolenProperty } from './seed.ts';

export const definition: SubgraphDefinition<StolenPropertyContext> = {
  name: 'stolen-property',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  auditedTypes: Object.fromEntries(['Vehicle', 'TravelDocument', 'Firearm', 'Artwork'].map((type) => [type, (row: PropertyRow) => row.id])),
  seed: seedStolenProperty,
  createContext,
};

/** Builds the stolen-property subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definition, options);
