import type { Queryable } from '../db/db.ts';
import type { ChainAnchor } from './audit-checkpoint.ts';
import { AUDIT_ENTRY_COLUMNS, type AuditEntry, GENESIS_HASH, hashEntry, macEntry } from './audit-entry.ts';
import type { AuditKey } from './audit-key.ts';

/** The verdict on one chain. */
export interface ChainVerdict {
  chain: string;
  /** Entries checked before the first break, or all of them. */
  verified: number;
  /** Of those, the entries at the start of the chain written before kit migration 004, without a MAC. */
  unauthenticated: number;
  /** The first broken entry, if any. */
  broken: { seq: string | null; chainSeq: number; reason: string } | null;
}

/** What to verify against. */
export interface VerifyOptions {
  /** Only this chain. */
  chain?: string | undefined;
  /** Heads recorded outside the database (the checkpoints): every chain they name must still reach them. */
  anchors?: readonly ChainAnchor[] | undefined;
}

interface Head {
  chain: string;
  chain_seq: number;
  hash: string;
}

const PAGE = 1_000;

/**
 * Checks every entry's hash, MAC and link, chain by chain, and stops each chain at its first broken
 * entry: an edited entry fails its MAC (its hash too, unless the editor recomputed the hashes); a
 * removed one breaks the sequence or the next entry's link; a removed tail no longer reaches the head
 * in audit_chain_head, or, when the head was moved back too, a checkpoint. A chain a checkpoint names
 * that has gone from the database entirely is broken as well. The chains checked are those with a
 * head, with entries or with a checkpoint, so deleting a head alone hides nothing.
 */
export async function verifyChains(db: Queryable, key: AuditKey, options: VerifyOptions = {}): Promise<ChainVerdict[]> {
  const only = options.chain;
  const heads = await db.query<Head>(
    `select chain, chain_seq::float8 as chain_seq, hash from audit_chain_head ${only ? 'where chain = $1' : ''}`,
    only ? [only] : [],
  );
  const stored = await db.query<{ chain: string }>(
    `select distinct chain from audit_entry ${only ? 'where chain = $1' : ''}`,
    only ? [only] : [],
  );
  const anchors = (options.anchors ?? []).filter((anchor) => !only || anchor.chain === only);
  const chains = [...new Set([...heads, ...stored, ...anchors].map((row) => row.chain))].sort();
  const verdicts: ChainVerdict[] = [];
  for (const chain of chains) {
    const head = heads.find((row) => row.chain === chain);
    verdicts.push(
      await verifyChain(
        db,
        key,
        chain,
        head,
        anchors.filter((anchor) => anchor.chain === chain),
      ),
    );
  }
  return verdicts;
}

async function verifyChain(
  db: Queryable,
  key: AuditKey,
  chain: string,
  head: Head | undefined,
  anchors: ChainAnchor[],
): Promise<ChainVerdict> {
  const furthest = anchors.reduce<ChainAnchor | undefined>(
    (best, anchor) => (best && best.chainSeq >= anchor.chainSeq ? best : anchor),
    undefined,
  );
  // Entries past the head as read above were appended since; they are the next run's to check.
  const last = head || furthest ? Math.max(head?.chain_seq ?? 0, furthest?.chainSeq ?? 0) : Number.MAX_SAFE_INTEGER;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let unauthenticated = 0;
  const verdict = (broken: ChainVerdict['broken']): ChainVerdict => ({ chain, verified: expectedSeq - 1, unauthenticated, broken });
  for (;;) {
    const entries = await db.query<AuditEntry>(
      `select ${AUDIT_ENTRY_COLUMNS} from audit_entry where chain = $1 and chain_seq >= $2 and chain_seq <= $3 order by chain_seq limit ${PAGE}`,
      [chain, expectedSeq, last],
    );
    for (const entry of entries) {
      const broken = (reason: string) => verdict({ seq: entry.seq, chainSeq: entry.chainSeq, reason });
      if (entry.chainSeq !== expectedSeq) return broken(`entry ${expectedSeq} of the chain is missing`);
      if (entry.prevHash !== prevHash) return broken('does not link to the previous entry');
      const { seq: _seq, hash, mac, ...fields } = entry;
      if (hashEntry(fields) !== hash) return broken('its content does not match its hash (edited)');
      if (mac === null) {
        if (expectedSeq - 1 > unauthenticated) return broken('it has no MAC, yet follows authenticated entries (its MAC was removed)');
        unauthenticated += 1;
      } else if (macEntry(key, fields) !== mac) {
        return broken('its content does not match its MAC (edited, or written with another audit key)');
      }
      for (const anchor of anchors.filter((candidate) => candidate.chainSeq === entry.chainSeq)) {
        if (anchor.hash !== hash) return broken(`it is not the entry the checkpoint of ${anchor.at} recorded (replaced)`);
        if (anchor.authenticated && mac === null)
          return broken(`the checkpoint of ${anchor.at} recorded it with a MAC (its MAC was removed)`);
      }
      prevHash = hash;
      expectedSeq += 1;
    }
    if (entries.length < PAGE) break;
  }
  const count = expectedSeq - 1;
  const tail = (reason: string) => verdict({ seq: null, chainSeq: expectedSeq, reason });
  if (!head && count === 0 && furthest) {
    return tail(
      `the chain is gone from the database: the checkpoint of ${furthest.at} recorded ${furthest.chainSeq} entries (chain deleted)`,
    );
  }
  if (!head) return tail('its chain head is missing (deleted)');
  if (count < head.chain_seq)
    return tail(`the chain head records ${head.chain_seq} entries but only ${count} link up to it (entries removed from the end)`);
  if (count > head.chain_seq)
    return tail(`the chain head records ${head.chain_seq} entries but ${count} link up (the head was moved back)`);
  if (prevHash !== head.hash) return tail('the chain head does not match its last entry');
  if (furthest && count < furthest.chainSeq) {
    return tail(
      `the checkpoint of ${furthest.at} recorded ${furthest.chainSeq} entries but only ${count} remain (entries removed from the end)`,
    );
  }
  return verdict(null);
}
