import { createHash } from 'node:crypto';
import type { AuditKey } from './audit-key.ts';

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
  /**
   * Of a disclosure to another agency, the ids among `recordIds` whose owner marked them
   * notifyOwnerOnHit: each becomes a hit event in the same transaction as the entry. Not stored in
   * the entry (nor hashed): the entry already names the records; this only says whom to tell.
   */
  notifyIds?: readonly string[];
}

/** An entry as stored: the draft placed in its chain. */
export interface AuditEntry extends AuditDraft {
  seq: string;
  chainSeq: number;
  /** ISO 8601 with milliseconds, UTC. */
  occurredAt: string;
  prevHash: string;
  hash: string;
  /**
   * HMAC-SHA256 with the subgraph's audit key over what `hash` covers; null only for entries written
   * before kit migration 004 (see there).
   */
  mac: string | null;
}

/** An entry's fields as its hash and MAC cover them: everything but its number, hash and MAC. */
export type AuditEntryFields = Omit<AuditEntry, 'seq' | 'hash' | 'mac'>;

/**
 * What an entry's hash and MAC cover: its fields and its predecessor's hash, serialised as a JSON array
 * in a fixed order, so the same entry always reads the same on any replica and in `audit:verify`.
 * Fields added after the first entries were written come last, and only when present: an entry
 * without them (every entry written before they existed) serialises exactly as it did then.
 */
function covered(entry: AuditEntryFields): string {
  return JSON.stringify([
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
  ]);
}

/** The entry's hash, SHA-256: what links the chain, and all an entry written before migration 004 has. */
export function hashEntry(entry: AuditEntryFields): string {
  return createHash('sha256').update(covered(entry)).digest('hex');
}

/**
 * The entry's MAC: anyone who can write the database can recompute a SHA-256 chain after editing it,
 * but not this without the key.
 */
export function macEntry(key: AuditKey, entry: AuditEntryFields): string {
  return key.mac('entry', covered(entry));
}

/** The audit_entry columns, read back as an {@link AuditEntry}. */
export const AUDIT_ENTRY_COLUMNS = `seq::text as "seq", chain, chain_seq::float8 as "chainSeq",
  to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "occurredAt", kind,
  request_id as "requestId", partner_request_id as "partnerRequestId", partner_subject as "partnerSubject", partner_agency as "partnerAgency",
  purpose_code as "purposeCode", purpose_reference as "purposeReference", operation_name as "operationName",
  operation_hash as "operationHash", action, detail, record_ids as "recordIds", prev_hash as "prevHash", hash, mac`;
