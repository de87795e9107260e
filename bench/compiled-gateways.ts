import { type ExecFileSyncOptions, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { DEV_KEYS_DIR } from '../lib/identity/dev-keys.ts';

/** Where the compiled gateways live (git-ignored with bench/results). */
export const COMPILED_DIR = resolve(ROOT, 'bench/results/build');

/**
 * Compiles Liaison (`npm run build`, as the image runs it) and the benchmark's TypeScript gateways
 * into {@link COMPILED_DIR}, so that every Node gateway is measured on plain `node`: tsx's loader
 * holds ~58 MB of a gateway's memory and compiles on the fly, which no deployment does. Inside the
 * checkout, so that the compiled code finds node_modules; with the checkout's development keys,
 * which the benchmark's subgraphs and partner tokens use, since the compiled tree is a root of its own.
 */
export function compileGateways(): string {
  const quiet: ExecFileSyncOptions = { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] };
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--out-dir', COMPILED_DIR], quiet);
  execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'bench/tsconfig.gateways.json', '--outDir', COMPILED_DIR], quiet);
  const keys = join(COMPILED_DIR, '.keys');
  mkdirSync(DEV_KEYS_DIR, { recursive: true });
  if (!existsSync(keys)) symlinkSync(DEV_KEYS_DIR, keys, 'dir');
  return COMPILED_DIR;
}
