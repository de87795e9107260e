import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/subgraph-server.ts';
import { type CaseStatusContext, createContext } from './context.ts';
import type { CaseRow } from './case-repository.ts';
import { resolvers } from './resolvers.ts';
import { seedCaseStatus } from './seed.ts';

/** The case-status subgraph as the kit builds it. */
export const definition: SubgraphDefinition<CaseStatusContext> = {
  name: 'case-status',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  auditedTypes: { Case: (row: CaseRow) => row.case_number },
  seed: seedCaseStatus,
  createContext,
};

/** Builds the case-status subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definition, options);
