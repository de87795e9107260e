import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/index.ts';
import { createContext, type ExampleRegisterContext } from './context.ts';
import type { ExampleRecordRow } from './example-record-repository.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';

export const definition: SubgraphDefinition<ExampleRegisterContext> = {
  name: 'example-register',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  // Serving any field of these records writes a disclosure to the owner's audit trail.
  auditedTypes: { ExampleRecord: (row: ExampleRecordRow) => row.id },
  seed,
  createContext,
};

/** Builds the example-register subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definition, options);
