import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, readSupergraphConfig, SUPERGRAPH_GRAPHQL, SUPERGRAPH_YAML } from '../lib/config/supergraph-config.ts';
import { devKeyPair, DEV_KEYS_DIR } from '../lib/identity/dev-keys.ts';
import { devAuditKeyPath } from '../subgraphs/kit/audit/load-audit-key.ts';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { graphql } from './support/graphql-client.ts';
import { type ServiceProcess, startServiceProcess } from './support/service-process.ts';
import { bearer } from './support/tokens.ts';

// `npm run build` into a scratch folder outside the repository, whose node_modules holds only the production
// dependencies: the compiled gateway and a compiled subgraph then run on plain node as the image runs them,
// and a compiled import of anything else (tsx, a devDependency) fails to resolve.
const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'liaison-build-'));
const { dependencies } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
/** `pg`, `pg/lib/x` → `pg`; `@apollo/server/x` → `@apollo/server`. */
const packageName = (specifier: string) => specifier.split('/', specifier.startsWith('@') ? 2 : 1).join('/');
/** The same file in the build: the compiled code's ROOT is `out`. */
const inBuild = (path: string) => join(out, relative(ROOT, path));
let database: TestDatabase | undefined;
let subgraph: ServiceProcess | undefined;
let gateway: ServiceProcess | undefined;

beforeAll(async () => {
  await run('npm', ['run', '-s', 'build', '--', '--out-dir', out], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  for (const name of Object.keys(dependencies)) {
    mkdirSync(dirname(join(out, 'node_modules', name)), { recursive: true });
    symlinkSync(resolve(ROOT, 'node_modules', name), join(out, 'node_modules', name));
  }
}, 120_000);
afterAll(async () => {
  await gateway?.stop('SIGTERM');
  await subgraph?.stop('SIGTERM');
  await database?.drop();
  rmSync(out, { recursive: true, force: true });
});

/** Every compiled server-side module (the explorer's browser bundle aside) and what it imports. */
function compiledModules(): { file: string; text: string; imports: string[] }[] {
  return readdirSync(out, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js') && !file.startsWith('node_modules/') && !file.startsWith('gateway/explorer/dist/'))
    .map((file) => {
      const text = readFileSync(join(out, file), 'utf8');
      return { file, text, imports: ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName) };
    });
}

describe('npm run build', () => {
  it('emits the entry points the deployments name', () => {
    const entries = [
      'gateway/index.js',
      ...readSupergraphConfig().map(({ name }) => `subgraphs/${name}/index.js`),
      'scripts/audit-verify.js',
    ];
    expect(entries.filter((entry) => !existsSync(join(out, entry)))).toEqual([]);
  });

  it('puts the supergraph, each subgraph’s SDL and migrations where the compiled code reads them', () => {
    const subgraphs = readSupergraphConfig();
    const files = [
      SUPERGRAPH_YAML,
      SUPERGRAPH_GRAPHQL,
      resolve(ROOT, 'subgraphs/kit/common.graphql'),
      ...subgraphs.map((s) => s.schemaPath),
    ];
    for (const file of files) expect(readFileSync(inBuild(file), 'utf8'), relative(ROOT, file)).toBe(readFileSync(file, 'utf8'));
    const migrations = ['kit', ...subgraphs.map(({ name }) => name)].map((name) => resolve(ROOT, 'subgraphs', name, 'migrations'));
    for (const folder of migrations) expect(readdirSync(inBuild(folder)), relative(ROOT, folder)).toEqual(readdirSync(folder));
  });

  it('imports neither tsx nor anything but node’s built-ins, production dependencies and compiled files', () => {
    const modules = compiledModules();
    expect(modules.filter(({ text }) => /["']tsx(\/[^"']*)?["']/.test(text)).map(({ file }) => file)).toEqual([]);
    const unresolved = modules.flatMap(({ file, imports }) =>
      imports
        .filter((specifier) =>
          specifier.startsWith('.')
            ? !existsSync(resolve(out, dirname(file), specifier))
            : !isBuiltin(specifier) && !(packageName(specifier) in dependencies),
        )
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(unresolved).toEqual([]);
  });
});

describe('the compiled services on plain node', () => {
  beforeAll(async () => {
    // The token below is signed with this repository's development issuer key; the build has keys of its own.
    await devKeyPair('partner-issuer');
    cpSync(resolve(DEV_KEYS_DIR, 'partner-issuer.json'), inBuild(resolve(DEV_KEYS_DIR, 'partner-issuer.json')));
    database = await createTestDatabase('build');
    const plain = { NODE_PATH: undefined, NODE_OPTIONS: undefined };
    subgraph = await startServiceProcess(join(out, 'subgraphs/wanted-persons/index.js'), { ...plain, DATABASE_URL: database.url });
    const nowhere = 'http://127.0.0.1:9/graphql';
    gateway = await startServiceProcess(join(out, 'gateway/index.js'), {
      ...plain,
      WANTED_PERSONS_URL: subgraph.url,
      STOLEN_PROPERTY_URL: nowhere,
      CASE_STATUS_URL: nowhere,
    });
  }, 120_000);

  it('answer /health and a federated query, with the explorer bundled where the gateway serves it', async () => {
    for (const service of [subgraph!, gateway!]) expect((await fetch(new URL('/health', service.url))).status).toBe(200);
    const answer = await graphql(gateway!.url, `{ wantedPerson(id: "${personId(1)}") { id } }`, {}, await bearer());
    expect(answer).toEqual({ status: 200, data: { wantedPerson: { id: personId(1) } } });
    const page = await (await fetch(new URL('/', gateway!.url))).text();
    const script = /src="(\/explorer\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(script, page).toBeDefined();
    expect((await fetch(new URL(script!, gateway!.url))).status).toBe(200);
  });

  it('include audit:verify, which checks the subgraph’s audit trail', async () => {
    const { stdout } = await run(
      process.execPath,
      [join(out, 'scripts/audit-verify.js'), '--database-url', database!.url, '--key-file', inBuild(devAuditKeyPath('wanted-persons'))],
      { cwd: out },
    );
    expect(stdout).toMatch(/ {2}OK {2}\d+ entries/);
  });
});
