import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import { type Db, groupedLoader, keyedLoader, type RecordOwners, RowScope } from '../kit/index.ts';
import {
  HitConfirmationRequestRepository,
  type HitConfirmationRequestRow,
  type HitConfirmationStepRow,
} from './hit-confirmation-request-repository.ts';
import type { HitConfirmationSettings } from './hit-confirmation-settings.ts';
import type { HitMetrics } from './hit-metrics.ts';
import type { OwnerRelease } from './owner-release.ts';

/** What each request of the hit-confirmations subgraph carries. */
export interface HitConfirmationsContext {
  /** Who is asking, as the gateway vouched. */
  caller: Caller;
  requests: HitConfirmationRequestRepository;
  requestById: DataLoader<string, HitConfirmationRequestRow | null>;
  stepsOfRequest: DataLoader<string, HitConfirmationStepRow[]>;
  /** Asks the owners of the records hits are on whether the caller sees them, and whose they are. */
  recordOwners: RecordOwners;
  /** Has a record's owner release it in full to a requesting agency, when a confirmation says so. */
  ownerRelease: OwnerRelease;
  settings: HitConfirmationSettings;
  metrics: HitMetrics;
  /** For the checks taken before a call to an owner, outside the write's transaction. */
  db: Db;
}

/** Builds one request's context: fresh loaders, so nothing read outlives the request. */
export function createContext(
  db: Db,
  caller: Caller,
  owners: { recordOwners: RecordOwners; ownerRelease: OwnerRelease },
  settings: HitConfirmationSettings,
  metrics: HitMetrics,
): HitConfirmationsContext {
  const requests = new HitConfirmationRequestRepository(db, RowScope.for(caller), caller.principal?.agency ?? null);
  return {
    caller,
    requests,
    requestById: keyedLoader(
      (ids) => requests.findByIds(ids),
      (row) => row.id,
    ),
    stepsOfRequest: groupedLoader(
      (ids) => requests.steps(ids),
      (row) => row.request_id,
    ),
    ...owners,
    settings,
    metrics,
    db,
  };
}
