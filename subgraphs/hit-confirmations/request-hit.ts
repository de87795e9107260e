import type { HitFacts, HitKind } from '../kit/index.ts';

/** The columns of a request that tell its record's owner of it. */
export interface RequestHitColumns {
  id: string;
  record_id: string;
  owning_agency: string;
  requesting_agency: string;
  purpose_code: string;
  purpose_reference: string | null;
  status: string;
}

/**
 * A request made, answered, withdrawn or moved by its deadline, as a hit on its record: the owner's
 * hitsOnOwnRecords hears of it with the requesting agency and the purpose it declared.
 */
export function requestHit(row: RequestHitColumns, kind: Extract<HitKind, `CONFIRMATION_${string}`>): HitFacts {
  return {
    kind,
    recordId: row.record_id,
    owner: row.owning_agency,
    partnerAgency: row.requesting_agency,
    purposeCode: row.purpose_code,
    purposeReference: row.purpose_reference,
    requestId: row.id,
    status: row.status,
  };
}
