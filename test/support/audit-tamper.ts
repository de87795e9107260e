import { AUDIT_ENTRY_COLUMNS, type AuditEntry, hashEntry } from '../../subgraphs/kit/audit/audit-entry.ts';
import type { Queryable } from '../../subgraphs/kit/db/db.ts';

// What someone who can write the database, but does not hold the audit key, can do to a chain: the
// hashing is no secret, so every SHA-256 hash and the chain head can be made to agree again.

/** A chain's entries in order, as stored. */
export const chainEntries = (db: Queryable, chain: string): Promise<AuditEntry[]> =>
  db.query<AuditEntry>(`select ${AUDIT_ENTRY_COLUMNS} from audit_entry where chain = $1 order by chain_seq`, [chain]);

/** Rewrites entry `chainSeq`'s purpose reference, then recomputes its hash, every later hash and link, and the head. */
export async function editAndRehash(db: Queryable, chain: string, chainSeq: number, purposeReference: string): Promise<void> {
  const entries = (await chainEntries(db, chain)).filter((entry) => entry.chainSeq >= chainSeq);
  let prevHash = entries[0]!.prevHash;
  for (const entry of entries) {
    const { seq, hash: _hash, mac: _mac, ...fields } = entry;
    const edited = { ...fields, prevHash, purposeReference: entry.chainSeq === chainSeq ? purposeReference : fields.purposeReference };
    prevHash = hashEntry(edited);
    await db.query('update audit_entry set purpose_reference = $2, prev_hash = $3, hash = $4 where seq = $1', [
      seq,
      edited.purposeReference,
      edited.prevHash,
      prevHash,
    ]);
  }
  await db.query('update audit_chain_head set hash = $2 where chain = $1', [chain, prevHash]);
}

/** Deletes the last `count` entries of a chain and moves its head back to the entry now last. */
export async function truncateAndMoveHead(db: Queryable, chain: string, count: number): Promise<void> {
  const entries = await chainEntries(db, chain);
  const kept = entries.slice(0, entries.length - count);
  await db.query('delete from audit_entry where chain = $1 and chain_seq > $2', [chain, kept.length]);
  await db.query('update audit_chain_head set chain_seq = $2, hash = $3 where chain = $1', [chain, kept.length, kept.at(-1)!.hash]);
}

/** Deletes a chain whole: every entry and its head. */
export async function deleteChain(db: Queryable, chain: string): Promise<void> {
  await db.query('delete from audit_entry where chain = $1', [chain]);
  await db.query('delete from audit_chain_head where chain = $1', [chain]);
}
