import { AUDIT_SQL } from '../db/background-sql.ts';
import type { Queryable } from '../db/db.ts';
import { hitEvent, hitsOfEntries } from '../events/hit-events.ts';
import { insertRecordEvents } from '../events/record-event-outbox.ts';
import { type AuditDraft, type AuditEntry, GENESIS_HASH, hashEntry, macEntry } from './audit-entry.ts';
import type { AuditKey } from './audit-key.ts';

/**
 * Appends drafts to their chains inside the caller's transaction, in two statements however many
 * chains the batch touches once their heads exist: lock the heads (`for update`, in chain order, so
 * two batches never deadlock), then insert every entry and move the heads in one statement. A chain's
 * first entry creates its head first. All drafts share one timestamp: they are one batch, committed
 * together. Each entry is authenticated with `key`, which the database never sees. The hits the
 * entries record are published to their owners in the same transaction (hit-events.ts).
 */
export async function appendEntries(tx: Queryable, drafts: readonly AuditDraft[], key: AuditKey): Promise<AuditEntry[]> {
  if (drafts.length === 0) return [];
  const occurredAt = new Date().toISOString();
  const chains = [...new Set(drafts.map((draft) => draft.chain))].sort();
  let heads = await lockHeads(tx, chains);
  if (heads.length < chains.length) {
    await tx.query(
      'insert into audit_chain_head (chain, chain_seq, hash) select unnest($1::text[]), 0, $2 on conflict (chain) do nothing',
      [chains, GENESIS_HASH],
    );
    heads = await lockHeads(tx, chains);
  }
  const position = new Map(heads.map((head) => [head.chain, { chainSeq: head.chain_seq, hash: head.hash }]));
  const entries = drafts.map((draft) => {
    const head = position.get(draft.chain)!;
    const placed = { ...draft, chainSeq: head.chainSeq + 1, occurredAt, prevHash: head.hash };
    const entry: AuditEntry = { ...placed, seq: '', hash: hashEntry(placed), mac: macEntry(key, placed) };
    position.set(draft.chain, { chainSeq: entry.chainSeq, hash: entry.hash });
    return entry;
  });
  const column = <K extends keyof AuditEntry>(key: K) => entries.map((entry) => entry[key]);
  const last = [...position];
  const inserted = await tx.query<{ chain: string; chain_seq: number; seq: string }>(
    `with moved as (
       update audit_chain_head h set chain_seq = v.s, hash = v.h
       from unnest($17::text[], $18::bigint[], $19::text[]) as v(c, s, h) where h.chain = v.c
     )
     insert into audit_entry (chain, chain_seq, occurred_at, kind, request_id, partner_subject, partner_agency, purpose_code,
       purpose_reference, operation_name, operation_hash, action, detail, record_ids, prev_hash, hash, partner_request_id, mac)
     select c, s, $1::timestamptz, k, r, ps, pa, pc, pr, o, oh, a, d, array(select jsonb_array_elements_text(ids)), p, h, pri, m
     from unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::text[], $13::text[], $14::jsonb[], $15::text[], $16::text[], $20::text[], $21::text[])
       as t(c, s, k, r, ps, pa, pc, pr, o, oh, a, d, ids, p, h, pri, m)
     returning chain, chain_seq::float8 as chain_seq, seq::text as seq`,
    [
      occurredAt,
      column('chain'),
      column('chainSeq'),
      column('kind'),
      column('requestId'),
      column('partnerSubject'),
      column('partnerAgency'),
      column('purposeCode'),
      column('purposeReference'),
      column('operationName'),
      column('operationHash'),
      column('action'),
      column('detail'),
      entries.map((entry) => JSON.stringify(entry.recordIds)),
      column('prevHash'),
      column('hash'),
      last.map(([chain]) => chain),
      last.map(([, head]) => head.chainSeq),
      last.map(([, head]) => head.hash),
      column('partnerRequestId'),
      column('mac'),
    ],
  );
  const seqOf = new Map(inserted.map((row) => [`${row.chain}/${row.chain_seq}`, row.seq]));
  for (const entry of entries) entry.seq = seqOf.get(`${entry.chain}/${entry.chainSeq}`)!;
  // Last: it takes the outbox's ordering lock, held to commit.
  await insertRecordEvents(tx, hitsOfEntries(entries).map(hitEvent), AUDIT_SQL);
  return entries;
}

/** The heads of `chains` that exist, locked for this transaction, in chain order. */
function lockHeads(tx: Queryable, chains: string[]) {
  return tx.query<{ chain: string; chain_seq: number; hash: string }>(
    'select chain, chain_seq::float8 as chain_seq, hash from audit_chain_head where chain = any($1::text[]) order by chain for update',
    [chains],
  );
}
