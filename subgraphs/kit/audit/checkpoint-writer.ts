import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { Queryable } from '../db/db.ts';
import { type CheckpointHead, checkpointLine } from './audit-checkpoint.ts';
import { AUDIT_ENTRY_COLUMNS, type AuditEntry, hashEntry, macEntry } from './audit-entry.ts';
import type { AuditKey } from './audit-key.ts';

/** Where and how often a subgraph anchors its chain heads outside the database. */
export interface AuditCheckpointOptions {
  /** The file checkpoints are appended to: on storage the database's writers cannot change. */
  file: string;
  intervalMs: number;
}

/**
 * Appends checkpoints (every chain's head: sequence number, hash, time, MAC with the audit key) to a
 * file outside the database, so that `audit:verify` notices a chain deleted or cut short after it.
 * A head is recorded only when its entry checks out (its hash, and its MAC if it has one): a head
 * forged in the database is logged, not vouched for.
 */
export class CheckpointWriter {
  private last = '';
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Queryable,
    private readonly key: AuditKey,
    private readonly subgraph: string,
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  /** Appends a checkpoint, unless the heads have not moved since this writer's last one and `always` is false. */
  write(always: boolean): Promise<void> {
    const next = this.running.then(() => this.append(always));
    this.running = next.catch(() => undefined);
    return next;
  }

  private async append(always: boolean): Promise<void> {
    const heads = await this.heads();
    const state = JSON.stringify(heads);
    if (heads.length === 0 || (!always && state === this.last)) return;
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a', 0o640);
    try {
      await handle.write(checkpointLine(this.key, this.subgraph, new Date().toISOString(), heads));
      // On disk before it counts: a checkpoint lost in a crash anchors nothing.
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.last = state;
  }

  private async heads(): Promise<CheckpointHead[]> {
    const rows = await this.db.query<AuditEntry & { headChain: string; headHash: string; headSeq: number }>(
      `select h.chain as "headChain", h.hash as "headHash", h.chain_seq::float8 as "headSeq", e.*
       from audit_chain_head h
       left join lateral (select ${AUDIT_ENTRY_COLUMNS} from audit_entry where chain = h.chain and chain_seq = h.chain_seq) e on true
       where h.chain_seq > 0 order by h.chain`,
    );
    const heads: CheckpointHead[] = [];
    for (const row of rows) {
      const { seq: _seq, hash, mac, headChain, headHash, headSeq, ...fields } = row;
      const intact = hash === headHash && hashEntry(fields) === hash && (mac === null || macEntry(this.key, fields) === mac);
      if (!intact) {
        this.log.error({ chain: headChain, chainSeq: headSeq }, 'audit chain head does not match its entry; not checkpointed');
        continue;
      }
      heads.push({ chain: headChain, chainSeq: headSeq, hash, authenticated: mac !== null });
    }
    return heads;
  }
}
