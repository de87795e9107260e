import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../lib/config/supergraph-config.ts';

// `npm run build [-- --out-dir DIR]`: JavaScript for plain `node` in dist/ (or DIR). The compiled tree is an
// application root of its own: ROOT resolves to it, so every file the code reads at run time (supergraph,
// SDL, migrations, the explorer's bundle) is copied to the same place beside the compiled code.

/** The folders compiled (tsconfig.build.json) and whose other files are copied: schema/ holds the supergraph. */
const SOURCES = ['gateway', 'lib', 'subgraphs', 'scripts', 'schema'];
/** The explorer's browser source, bundled by Vite below, and a development bundle of it. */
const NOT_COPIED = ['gateway/explorer/app/', 'gateway/explorer/dist/'];

const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
const out = resolve(values['out-dir'] ?? join(ROOT, 'dist'));
const run = (tool: string, args: string[]) => execFileSync(join(ROOT, 'node_modules/.bin', tool), args, { cwd: ROOT, stdio: 'inherit' });

// Only what a build writes: a compiled run's .keys/ and .data/ (development keys, audit checkpoints) stay.
for (const name of [...SOURCES, 'package.json']) rmSync(join(out, name), { recursive: true, force: true });

run('tsc', ['-p', 'tsconfig.build.json', '--outDir', out]);

for (const folder of SOURCES) {
  for (const entry of readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })) {
    const path = relative(ROOT, join(entry.parentPath, entry.name));
    if (!entry.isFile() || path.endsWith('.ts') || NOT_COPIED.some((prefix) => path.startsWith(prefix))) continue;
    cpSync(join(ROOT, path), join(out, path));
  }
}

run('vite', ['build', '--config', 'gateway/explorer/app/vite.config.ts', '--outDir', join(out, 'gateway/explorer/dist')]);

// Node takes "type" from the nearest package.json, and the metrics report the version of ROOT's.
const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ name, version, private: true, type: 'module' }, null, 2)}\n`);
