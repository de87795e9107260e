import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The layer rules of eslint.config.js, tried on small virtual files at real paths, so that a config edit which
 * silently stops catching a relative import fails here rather than in review.
 */
describe('lint: layers and cycles', () => {
  let eslint: ESLint;

  beforeAll(() => {
    eslint = new ESLint({
      cwd: root,
      // The cycle fixture is ignored by `eslint .`; here it is the point.
      ignore: false,
      // The virtual files are not on disk, so no tsconfig holds them: the layer and cycle rules need no types.
      overrideConfig: {
        languageOptions: { parserOptions: { projectService: false, project: null } },
        rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
      },
    });
  });

  /** The rule ids ESLint reports for `code` as if it were the file at `path` (relative to the repository). */
  async function rulesFor(path: string, code: string): Promise<(string | null)[]> {
    const [result] = await eslint.lintText(code, { filePath: `${root}${path}` });
    return result!.messages.map((message) => message.ruleId);
  }

  const cases: [string, string, string][] = [
    ['lib imports nothing of gateway/', 'lib/x.ts', "import { buildServer } from '../gateway/server.ts';\nexport { buildServer };\n"],
    ['the gateway never imports a subgraph, not even the kit', 'gateway/x.ts', "export * from '../subgraphs/kit/db/db.ts';\n"],
    ['an agency does not import a kit file by deep path', 'subgraphs/wanted-persons/x.ts', "export type { Db } from '../kit/db/db.ts';\n"],
    [
      'an agency never imports another agency',
      'subgraphs/wanted-persons/x.ts',
      "export { buildServer } from '../case-status/server.ts';\n",
    ],
    ['the kit never imports an agency', 'subgraphs/kit/x.ts', "export { buildServer } from '../wanted-persons/server.ts';\n"],
    ['the kit never imports the gateway', 'subgraphs/kit/rows/x.ts', "export { buildServer } from '../../../gateway/server.ts';\n"],
  ];

  it.each(cases)('%s (%s)', async (_name, path, code) => {
    expect(await rulesFor(path, code)).toContain('import-x/no-restricted-paths');
  });

  it('the gateway importing the kit face is caught by its specifier, resolvable or not', async () => {
    expect(await rulesFor('gateway/upstream/x.ts', "export * from '../../subgraphs/kit/index.ts';\n")).toContain('no-restricted-imports');
  });

  it('lib importing a subgraph is caught by its specifier too', async () => {
    expect(await rulesFor('lib/http/x.ts', "export * from '../../subgraphs/kit/index.ts';\n")).toContain('no-restricted-imports');
  });

  it('an agency may import the kit face and lib/', async () => {
    const code = "export * from '../kit/index.ts';\nexport { ErrorCode } from '../../lib/errors/index.ts';\n";
    const rules = await rulesFor('subgraphs/wanted-persons/x.ts', code);
    expect(rules).not.toContain('import-x/no-restricted-paths');
    expect(rules).not.toContain('no-restricted-imports');
  });

  it('an import cycle is reported', async () => {
    const path = 'test/fixtures/lint/cycle/a.ts';
    expect(await rulesFor(path, readFileSync(`${root}${path}`, 'utf8'))).toContain('import-x/no-cycle');
  });
});
