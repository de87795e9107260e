import type { Queryable } from '../db.ts';
import { type AuditDraft, type AuditEntry, GENESIS_HASH, hashEntry } from './audit-entry.ts';

/**
 * Appends drafts to their chains inside the caller's transaction. Each chain's head row is locked
 * (`for update`) before it is read, chains in sorted order so two batches never deadlock, and the
 * entries of a chain are inserted in one statement. All drafts share one timestamp: they are one
 * batch, committed together.
 */
export async function appendEntries(tx: Queryable, drafts: readonly AuditDraft[]): Promise<AuditEntry[]> {
  const occurredAt = new Date().toISOString();
  const byChain = new Map<string, AuditDraft[]>();
  for (const draft of drafts) byChain.set(draft.chain, [...(byChain.get(draft.chain) ?? []), draft]);
  const appended: AuditEntry[] = [];
  for (const chain of [...byChain.keys()].sort()) {
    await tx.query('insert into audit_chain_head (chain, chain_seq, hash) values ($1, 0, $2) on conflict (chain) do nothing', [chain, GENESIS_HASH]);
    const [head] = await tx.query<{ chain_seq: number; hash: string }>('select chain_seq::float8 as chain_seq, hash from audit_chain_head where chain = $1 for update', [chain]);
    let chainSeq = head!.chain_seq;
    let prevHash = head!.hash;
    const entries = byChain.get(chain)!.map((draft) => {
      chainSeq += 1;
      const placed = { ...draft, chainSeq, occurredAt, prevHash };
      const entry: AuditEntry = { ...placed, seq: '', hash: hashEntry(placed) };
      prevHash = entry.hash;
      return entry;
    });
    const seqs = await tx.query<{ chain_seq: number; seq: string }>(
      `insert into audit_entry (chain, chain_seq, occurred_at, kind, request_id, partner_subject, partner_agency, purpose_code,
         purpose_reference, operation_name, operation_hash, action, detail, record_ids, prev_hash, hash)
       select $1, s, $2::timestamptz, k, r, ps, pa, pc, pr, o, oh, a, d, array(select jsonb_array_elements_text(ids)), p, h
       from unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
         $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[]) as t(s, k, r, ps, pa, pc, pr, o, oh, a, d, ids, p, h)
       returning chain_seq::float8 as chain_seq, seq::text as seq`,
      [
        chain,
        occurredAt,
        entries.map((e) => e.chainSeq),
        entries.map((e) => e.kind),
        entries.map((e) => e.requestId),
        entries.map((e) => e.partnerSubject),
        entries.map((e) => e.partnerAgency),
        entries.map((e) => e.purposeCode),
        entries.map((e) => e.purposeReference),
        entries.map((e) => e.operationName),
        entries.map((e) => e.operationHash),
        entries.map((e) => e.action),
        entries.map((e) => e.detail),
        entries.map((e) => JSON.stringify(e.recordIds)),
        entries.map((e) => e.prevHash),
        entries.map((e) => e.hash),
      ],
    );
    const seqOf = new Map(seqs.map((row) => [row.chain_seq, row.seq]));
    for (const entry of entries) entry.seq = seqOf.get(entry.chainSeq)!;
    await tx.query('update audit_chain_head set chain_seq = $2, hash = $3 where chain = $1', [chain, chainSeq, prevHash]);
    appended.push(...entries);
  }
  return appended;
}
