import { createHash } from 'node:crypto';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

/** What happened, before it is placed in a chain. */
export interface AuditDraft {
  /** The agency owning the records concerned: its chain. */
  chain: string;
  kind: 'DISCLOSURE' | 'WRITE';
  /** The gateway's own id of the partner request, to group the entries of one response. */
  requestId: string | null;
  /** The id the partner gave the request (its `x-request-id`), when it gave an acceptable one. */
  partnerRequestId: string | null;
  partnerSubject: string;
  partnerAgency: string | null;
  purposeCode: string | null;
  purposeReference: string | null;
  operationName: string | null;
  operationHash: string | null;
  /** For writes: the mutation. */
  action: string | null;
  /** For writes: canonical JSON of what changed. */
  detail: string | null;
  /** Ids of the records concerned, sorted. */
  recordIds: string[];
}

/** An entry as stored: the draft placed in its chain. */
export interface AuditEntry extends AuditDraft {
  seq: string;
  chainSeq: number;
  /** ISO 8601 with milliseconds, UTC. */
  occurredAt: string;
  prevHash: string;
  hash: string;
}

/**
 * The entry's hash: SHA-256 over its fields and its predecessor's hash, serialised as a JSON array in
 * a fixed order, so the same entry always hashes the same on any replica and in `audit:verify`.
 * Fields added after the first entries were written come last, and only when present: an entry
 * without them (every entry written before they existed) hashes exactly as it did then.
 */
export function hashEntry(entry: Omit<AuditEntry, 'seq' | 'hash'>): string {
  const fields = [
    entry.chain,
    entry.chainSeq,
    entry.occurredAt,
    entry.kind,
    entry.requestId,
    entry.partnerSubject,
    entry.partnerAgency,
    entry.purposeCode,
    entry.purposeReference,
    entry.operationName,
    entry.operationHash,
    entry.action,
    entry.detail,
    entry.recordIds,
    entry.prevHash,
    ...(entry.partnerRequestId === null ? [] : [entry.partnerRequestId]),
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** The audit_entry columns, read back in the shape {@link hashEntry} takes. */
export const AUDIT_ENTRY_COLUMNS = `seq::text as "seq", chain, chain_seq::float8 as "chainSeq",
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "occurredAt", kind,
  request_id as "requestId", partner_request_id as "partnerRequestId", partner_subject as "partnerSubject", partner_agency as "partnerAgency",
  purpose_code as "purposeCode", purpose_reference as "purposeReference", operation_name as "operationName",
  operation_hash as "operationHash", action, detail, record_ids as "recordIds", prev_hash as "prevHash", hash`;
