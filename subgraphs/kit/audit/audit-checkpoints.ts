import type { SubgraphFeatureFactory } from '../server/contract.ts';
import { CheckpointWriter } from './checkpoint-writer.ts';

/**
 * Anchors the audit chains outside the database: a checkpoint when the subgraph starts (which also
 * proves the file writable before any request is served), then every interval while heads move, and
 * a last one at clean shutdown, after the disclosure audit has drained. A failed periodic checkpoint
 * is logged and retried at the next interval; requests are not held up by it.
 * Without checkpoint options (tests, benchmarks, an in-memory database) it does nothing.
 */
export const auditCheckpoints: SubgraphFeatureFactory = {
  name: 'audit-checkpoints',
  async build({ name, db, log, auditKey, auditCheckpoints: options }) {
    if (!options) return {};
    const writer = new CheckpointWriter(db, auditKey, name, options.file, log);
    await writer.write(true);
    const timer = setInterval(() => {
      writer.write(false).catch((error: unknown) => log.error({ err: error, file: options.file }, 'audit checkpoint failed'));
    }, options.intervalMs);
    timer.unref();
    return {
      async close() {
        clearInterval(timer);
        await writer.write(true).catch((error: unknown) => log.error({ err: error, file: options.file }, 'last audit checkpoint failed'));
      },
    };
  },
};
