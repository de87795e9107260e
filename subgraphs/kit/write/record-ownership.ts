import type { Caller } from '../../../lib/authz/principal.ts';
import { forbidden } from '../../../lib/errors/index.ts';
import type { RecordRow } from '../rows/record-metadata.ts';
import { RowScope } from '../rows/row-scope.ts';
import type { ReleasabilityInput } from './input-schemas.ts';

/** Ownership and release columns of a record being written: those every record table carries. */
export type OwnershipValues = RecordRow;

/** An agency may place its records only in jurisdictions its grants cover. */
export function assertJurisdictionGranted(caller: Caller, jurisdiction: string): void {
  if (!RowScope.for(caller).covers(jurisdiction)) {
    throw forbidden(`Your grants do not cover jurisdiction ${jurisdiction}; a record can only be placed where your agency is granted`);
  }
}

/**
 * The release columns for a decision; everyone granted the jurisdiction when none is given. The
 * notify flag is among them only when the decision gives it, so an amendment that omits it keeps the
 * stored one.
 */
export function releaseColumns(
  decision: ReleasabilityInput | null | undefined,
): Pick<OwnershipValues, 'release_mode' | 'release_jurisdictions' | 'release_agencies'> &
  Partial<Pick<OwnershipValues, 'notify_owner_on_hit'>> {
  if (!decision) return { release_mode: 'ALL_GRANTED', release_jurisdictions: [], release_agencies: [] };
  const notify = decision.notifyOwnerOnHit === undefined ? {} : { notify_owner_on_hit: decision.notifyOwnerOnHit };
  return { release_mode: decision.mode, release_jurisdictions: decision.jurisdictions, release_agencies: decision.agencies, ...notify };
}

/**
 * Ownership of a new record: the writing agency owns it (the data-owner principle), in a jurisdiction
 * its grants cover, released as it decides; the writing partner system is its source system.
 */
export function newRecordOwnership(caller: Caller, jurisdiction: string, decision: ReleasabilityInput | null | undefined): OwnershipValues {
  const principal = caller.principal;
  if (!principal) throw forbidden('Writes need an authenticated partner');
  assertJurisdictionGranted(caller, jurisdiction);
  return {
    owning_agency: principal.agency,
    jurisdiction,
    notify_owner_on_hit: false,
    ...releaseColumns(decision),
    source_system: principal.subject.slice(0, 100),
  };
}
