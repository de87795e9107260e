import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/index.ts';
import { createContext, type WantedPersonsContext } from './context.ts';
import { resolvers } from './resolvers.ts';
import { seedWantedPersons } from './seed.ts';
import type { WantedPersonRow } from './wanted-person-repository.ts';

export const definition: SubgraphDefinition<WantedPersonsContext> = {
  name: 'wanted-persons',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  auditedTypes: { WantedPerson: (row: WantedPersonRow) => row.id },
  seed: seedWantedPersons,
  createContext,
};

/** Builds the wanted-persons subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definition, options);
