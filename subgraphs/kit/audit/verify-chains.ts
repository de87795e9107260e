import type { Queryable } from '../db/db.ts';
import { AUDIT_ENTRY_COLUMNS, type AuditEntry, GENESIS_HASH, hashEntry } from './audit-entry.ts';

/** The verdict on one chain. */
export interface ChainVerdict {
  chain: string;
  /** Entries checked before the first break, or all of them. */
  verified: number;
  /** The first broken entry, if any. */
  broken: { seq: string | null; chainSeq: number; reason: string } | null;
}

const PAGE = 1_000;

/**
 * Recomputes every entry's hash and link, chain by chain, and stops each chain at its first broken
 * entry: an edited entry fails its own hash; a removed one breaks the sequence or the next entry's
 * link; a removed tail no longer reaches the head recorded in audit_chain_head.
 */
export async function verifyChains(db: Queryable, only?: string): Promise<ChainVerdict[]> {
  const heads = await db.query<{ chain: string; chain_seq: number; hash: string }>(
    `select chain, chain_seq::float8 as chain_seq, hash from audit_chain_head ${only ? 'where chain = $1' : ''} order by chain`,
    only ? [only] : [],
  );
  const verdicts: ChainVerdict[] = [];
  for (const head of heads) verdicts.push(await verifyChain(db, head));
  return verdicts;
}

async function verifyChain(db: Queryable, head: { chain: string; chain_seq: number; hash: string }): Promise<ChainVerdict> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const verdict = (broken: ChainVerdict['broken']): ChainVerdict => ({ chain: head.chain, verified: expectedSeq - 1, broken });
  for (;;) {
    const entries = await db.query<AuditEntry>(
      `select ${AUDIT_ENTRY_COLUMNS} from audit_entry where chain = $1 and chain_seq >= $2 order by chain_seq limit ${PAGE}`,
      [head.chain, expectedSeq],
    );
    for (const entry of entries) {
      if (entry.chainSeq !== expectedSeq)
        return verdict({ seq: entry.seq, chainSeq: entry.chainSeq, reason: `entry ${expectedSeq} of the chain is missing` });
      if (entry.prevHash !== prevHash)
        return verdict({ seq: entry.seq, chainSeq: entry.chainSeq, reason: 'does not link to the previous entry' });
      const { seq: _seq, hash, ...fields } = entry;
      if (hashEntry(fields) !== hash)
        return verdict({ seq: entry.seq, chainSeq: entry.chainSeq, reason: 'its content does not match its hash (edited)' });
      prevHash = hash;
      expectedSeq += 1;
    }
    if (entries.length < PAGE) break;
  }
  if (expectedSeq - 1 !== head.chain_seq || prevHash !== head.hash) {
    return verdict({
      seq: null,
      chainSeq: expectedSeq,
      reason: `the chain head records ${head.chain_seq} entries but only ${expectedSeq - 1} link up to it (entries removed from the end)`,
    });
  }
  return verdict(null);
}
