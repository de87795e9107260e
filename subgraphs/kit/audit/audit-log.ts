import type { Logger } from '../../../lib/observability/logger.ts';
import type { Db } from '../db/db.ts';
import type { AuditDraft } from './audit-entry.ts';
import type { AuditKey } from './audit-key.ts';
import { appendEntries } from './append-entries.ts';

interface Pending {
  drafts: AuditDraft[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Options for {@link AuditLog}. */
export interface AuditLogOptions {
  /** Most drafts committed in one transaction; more wait for the next one. */
  maxBatch?: number;
}

/**
 * The subgraph's audit writer for disclosures. Appends are group-committed: while one transaction
 * is writing, drafts from concurrent requests queue up and go together in the next, so a busy
 * subgraph pays one transaction per batch rather than one per response. Each caller's promise settles
 * when its drafts are committed (or their batch failed), so a response waits for its own entry.
 */
export class AuditLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private readonly maxBatch: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly key: AuditKey,
    options: AuditLogOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Resolves once the drafts are committed to their chains. */
  record(drafts: AuditDraft[]): Promise<void> {
    if (drafts.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ drafts, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  /** Waits for every queued draft to be written (at shutdown). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    // Let the requests that finish in this turn of the event loop join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.drafts.length <= this.maxBatch)) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += next.drafts.length;
      }
      try {
        await this.db.transaction((tx) =>
          appendEntries(
            tx,
            batch.flatMap((pending) => pending.drafts),
            this.key,
          ),
        );
        for (const pending of batch) pending.resolve();
      } catch (error) {
        this.log.error({ err: error, entries: size }, 'audit append failed');
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = null;
  }
}
