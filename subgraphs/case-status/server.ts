import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, RecordOwners, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/index.ts';
import { type CaseStatusContext, createContext } from './context.ts';
import type { LinkRow } from './case-link-repository.ts';
import type { CaseRow } from './case-repository.ts';
import { resolvers } from './resolvers.ts';
import { seedCaseStatus } from './seed.ts';

/** The case-status subgraph, apart from where its linked records' owners answer. */
export const definition: Omit<SubgraphDefinition<CaseStatusContext>, 'createContext'> = {
  name: 'case-status',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  // Linked persons and items are other agencies' records: listing them as a case's subjects or
  // property discloses them, in their owners' chains of this trail (rows without an owner, the
  // references the gateway resolves here, are not disclosed).
  auditedTypes: {
    Case: (row: CaseRow) => row.case_number,
    WantedPerson: (row: LinkRow) => row.id,
    PropertyItem: (row: LinkRow) => row.id,
  },
  seed: seedCaseStatus,
};

/** The case-status subgraph as the kit builds it, asking linked records' owners where `options` says they answer. */
export function definitionFor(options: SubgraphServerOptions): SubgraphDefinition<CaseStatusContext> {
  const linkOwners = new RecordOwners(options.subgraphUrl ?? (() => undefined), options.log, options.subgraphDispatcher);
  return { ...definition, createContext: (db, caller, cache) => createContext(db, caller, cache, linkOwners) };
}

/** Builds the case-status subgraph on the given database, ready to listen. */
export const buildServer = (options: SubgraphServerOptions) => buildSubgraphServer(definitionFor(options), options);
