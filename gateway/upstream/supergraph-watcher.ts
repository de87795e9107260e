import { type FSWatcher, readFileSync, unwatchFile, watch, watchFile } from 'node:fs';
import { dirname } from 'node:path';
import type { SupergraphManager } from '@apollo/gateway';
import type { Logger } from '../../lib/observability/logger.ts';

/** How long to wait for a burst of file events (an editor's write, a compose run, a ConfigMap swap) to settle. */
const SETTLE_MS = 150;

/** How often the file is also polled, for file systems whose changes send no events (network mounts). */
const POLL_MS = 1_000;

/**
 * Serves the supergraph file and follows it: a new or changed file is loaded without a restart, and
 * in-flight requests finish on the schema they started with. A file that fails to load is refused,
 * logged, and the previous supergraph keeps serving.
 *
 * A change is noticed however the file is replaced: written in place, renamed over, or, as a
 * Kubernetes ConfigMap volume does it, by swapping a `..data` symlink two levels below the path,
 * whose events name `..data`, never the file. So any event in the folder, and the poll, only say
 * "look again": the file is read through its links and loaded when its content differs.
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
        // Remembered refused too, so that a broken file is refused (and logged) once, not at every poll.
        current = next;
        try {
          update(next);
          log.info({ path }, 'supergraph reloaded');
        } catch (error) {
          log.error({ err: error, path }, 'supergraph refused; the previous one keeps serving');
        }
      };
      const settle = () => {
        clearTimeout(timer);
        timer = setTimeout(reload, SETTLE_MS);
      };
      // The folder, not the file: a watch on the file would end when the file is renamed over or its link swapped.
      let watcher: FSWatcher | undefined;
      try {
        watcher = watch(dirname(path), settle);
        watcher.on('error', (error) => log.warn({ err: error, path }, 'supergraph folder watch failed; polling only'));
      } catch (error) {
        log.warn({ err: error, path }, 'cannot watch the supergraph folder; polling only');
      }
      // watchFile stats through the links, so a swapped target changes what it sees.
      watchFile(path, { interval: POLL_MS, persistent: false }, settle);
      return {
        supergraphSdl: current,
        cleanup: async () => {
          clearTimeout(timer);
          watcher?.close();
          unwatchFile(path, settle);
        },
      };
    },
  };
}
