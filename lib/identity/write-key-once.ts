import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The text of the key file at `path`, or undefined when there is none yet. */
export function readKeyFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates the key file at `path` holding `contents` unless another process created it first, and
 * returns what the file holds: ours, or the winner's. Services that start together (`npm start`,
 * docker-compose sharing one keys volume) race to create the same key: each writes its candidate to
 * a temporary file of its own and hard-links it into place, which fails when the file exists and
 * never overwrites it, so exactly one candidate wins, complete, and every process reads that one.
 * The temporary name is random, not the PID: under docker-compose every service is PID 1, and two
 * containers sharing one `*.1.tmp` would link each other's half-written file or delete it under them.
 */
export function createKeyFileOnce(path: string, contents: string): string {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomUUID()}.tmp`;
  // `wx`: fail rather than write into a file that is somebody else's.
  writeFileSync(temporary, contents, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
  } catch (error) {
    // EEXIST: another process linked its key first; we read that one below. Anything else is real.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return readFileSync(path, 'utf8');
}

/** The key file at `path`, created with `generate()` when absent (see {@link createKeyFileOnce}). */
export const readOrCreateKeyFile = (path: string, generate: () => string): string =>
  readKeyFile(path) ?? createKeyFileOnce(path, generate());
