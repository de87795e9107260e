import { fileURLToPath } from 'node:url';
import { buildSubgraphServer, RecordOwners, SUBGRAPH_FEATURES, type SubgraphDefinition, type SubgraphServerOptions } from '../kit/index.ts';
import { createContext, type HitConfirmationsContext } from './context.ts';
import type { HitConfirmationRequestRow } from './hit-confirmation-request-repository.ts';
import { type HitConfirmationSettings, loadHitConfirmationSettings } from './hit-confirmation-settings.ts';
import { hitDeadlines } from './hit-deadlines.ts';
import { HitMetrics } from './hit-metrics.ts';
import { OwnerRelease } from './owner-release.ts';
import { resolvers } from './resolvers.ts';
import { seed } from './seed.ts';

/** The hit-confirmations subgraph, apart from where the records' owners answer and its deadlines. */
export const definition: Omit<SubgraphDefinition<HitConfirmationsContext>, 'createContext'> = {
  name: 'hit-confirmations',
  schemaPath: fileURLToPath(new URL('./schema.graphql', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  resolvers,
  // Serving a request discloses who hit whose record, and why, in the audit trail of the record's owner.
  auditedTypes: { HitConfirmationRequest: (row: HitConfirmationRequestRow) => row.id },
  seed,
};

/**
 * Builds the hit-confirmations subgraph on the given database, ready to listen: the deadlines run as one
 * more feature, with `settings` (HIT_CONFIRMATION_*; omitted, read from the environment).
 */
export function buildServer(options: SubgraphServerOptions, settings: HitConfirmationSettings = loadHitConfirmationSettings()) {
  const urlOf = options.subgraphUrl ?? (() => undefined);
  const owners = {
    recordOwners: new RecordOwners(urlOf, options.log, options.subgraphDispatcher),
    ownerRelease: new OwnerRelease(urlOf, options.log, options.subgraphDispatcher),
  };
  const metrics = new HitMetrics();
  return buildSubgraphServer(
    { ...definition, createContext: (db, caller) => createContext(db, caller, owners, settings, metrics) },
    { ...options, features: [...(options.features ?? SUBGRAPH_FEATURES), hitDeadlines(settings, metrics)] },
  );
}
