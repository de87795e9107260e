import type { AuditEntry } from '../audit/audit-entry.ts';
import { REFERENCE_ACTION } from '../audit/request-audit.ts';
import type { OutboxRecord } from './record-event-outbox.ts';

/** The outbox entity of hits: the gateway's `hitsOnOwnRecords` reads these from every subgraph's feed. */
export const HIT_ENTITY = 'HitOnOwnRecord';
/** The outbox `change` of a hit (kit migration 008). */
export const HIT_CHANGE = 'HIT';

/** What an owner is told of: the `HitKind` enum of hit-confirmations' SDL. */
export type HitKind = 'REFERENCE_DISCLOSURE' | 'DISCLOSURE' | 'CONFIRMATION_REQUESTED' | 'CONFIRMATION_UPDATED';

/** One hit on one record, told to its owner: who hit it and why; never the record's content. */
export interface HitFacts {
  kind: HitKind;
  recordId: string;
  /** The record's owning agency: the only agency told. */
  owner: string;
  partnerAgency: string | null;
  purposeCode: string | null;
  purposeReference: string | null;
  /** The seq of the audit entry the hit comes from, in this subgraph's trail. */
  auditSeq?: string;
  /** A hit confirmation request's id and status. */
  requestId?: string;
  status?: string;
}

/** A hit as an outbox row: its kind is the category subscribers filter on. */
export function hitEvent(hit: HitFacts): OutboxRecord {
  const { kind, recordId, owner, ...detail } = hit;
  return { entity: HIT_ENTITY, id: recordId, owner, change: HIT_CHANGE, jurisdiction: '', category: kind, detail };
}

/**
 * The hits that committed audit entries record: every record of a REFERENCE entry (a partner was shown
 * a reference-only record's reference), and every record of a disclosure its owner marked
 * notifyOwnerOnHit (the draft's `notifyIds`). Taken from the entries themselves, in their transaction,
 * so the owner is told exactly what its audit trail says.
 */
export function hitsOfEntries(entries: readonly AuditEntry[]): HitFacts[] {
  const hits: HitFacts[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'DISCLOSURE') continue;
    const kind = entry.action === REFERENCE_ACTION ? 'REFERENCE_DISCLOSURE' : 'DISCLOSURE';
    const ids = kind === 'REFERENCE_DISCLOSURE' ? entry.recordIds : (entry.notifyIds ?? []);
    for (const recordId of ids) {
      hits.push({
        kind,
        recordId,
        owner: entry.chain,
        partnerAgency: entry.partnerAgency,
        purposeCode: entry.purposeCode,
        purposeReference: entry.purposeReference,
        auditSeq: entry.seq,
      });
    }
  }
  return hits;
}
