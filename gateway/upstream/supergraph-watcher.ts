import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '../../lib/observability/logger.ts';

/** How long to wait for a burst of file events (an editor's write, a compose run) to settle. */
const SETTLE_MS = 150;

/**
 * Serves the supergraph file and follows it: a new or changed file is loaded without a restart, and
 * in-flight requests finish on the schema they started with. A file that fails to load is refused,
 * logged, and the previous supergraph keeps serving.
 */
export function watchedSupergraph(path: string, log: Logger): SupergraphManager {
  return {
    async initialize({ update }) {
      let current = readFileSync(path, 'utf8');
      let timer: NodeJS.Timeout | undefined;
      const reload = () => {
        let next: string;
        try {
          next = readFileSync(path, 'utf8');
        } catch (error) {
          log.error({ err: error, path }, 'supergraph unreadable; the previous one keeps serving');
          return;
        }
        if (next === current) return;
        try {
          update(next);
          current = next;
          log.info({ path }, 'supergraph reloaded');
        } catch (error) {
          log.error({ err: error, path }, 'supergraph refused; the previous one keeps serving');
        }
      };
      // Watch the folder, not the file: tools that replace the file by renaming would end a file watch.
      const watcher: FSWatcher = watch(dirname(path), (_event, file) => {
        if (file !== basename(path)) return;
        clearTimeout(timer);
        timer = setTimeout(reload, SETTLE_MS);
      });
      return {
        supergraphSdl: current,
        cleanup: async () => {
          clearTimeout(timer);
          watcher.close();
        },
      };
    },
  };
}
