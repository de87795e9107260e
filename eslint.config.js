// ESLint flat config: typescript-eslint's recommended rules, the two type-aware promise rules, no import cycles,
// and the layer rules of STYLE.md ("Layers"), so that nobody has to remember them.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Agency subgraphs: every folder under subgraphs/ but the kit, read at load so a scaffolded agency is covered. */
const agencies = readdirSync(new URL('subgraphs/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'kit')
  .map((entry) => entry.name);

/**
 * Layers, as `import-x/no-restricted-paths` zones. Paths are resolved by the TypeScript resolver, so relative
 * specifiers (`../gateway/server.ts`) are caught as well as any other spelling of the same file.
 */
const layerZones = [
  { target: './lib', from: './gateway', message: 'lib is the bottom layer: it imports nothing of gateway/.' },
  { target: './lib', from: './subgraphs', message: 'lib is the bottom layer: it imports nothing of subgraphs/.' },
  { target: './gateway', from: './subgraphs', message: 'The gateway never imports a subgraph: it reaches them over HTTP.' },
  { target: './subgraphs/kit', from: './gateway', message: 'The kit never imports the gateway.' },
  ...agencies.flatMap((agency) => [
    {
      target: `./subgraphs/${agency}`,
      from: './subgraphs/kit',
      except: ['./index.ts'],
      message: 'Agencies import the kit through its face, subgraphs/kit/index.ts, never its files.',
    },
    {
      target: `./subgraphs/${agency}`,
      from: './gateway',
      message: 'An agency subgraph imports only subgraphs/kit/index.ts and lib/, never the gateway.',
    },
    { target: './subgraphs/kit', from: `./subgraphs/${agency}`, message: 'The kit never imports an agency folder.' },
    ...agencies
      .filter((other) => other !== agency)
      .map((other) => ({
        target: `./subgraphs/${agency}`,
        from: `./subgraphs/${other}`,
        message: 'An agency never imports another agency.',
      })),
  ]),
];

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      'gateway/explorer/dist/**',
      'bench/peers/**',
      'bench/results/**',
      'test/artifacts/**',
      // Deliberately broken code, linted only by test/lint-layers.test.ts.
      'test/fixtures/lint/**',
    ],
  },
  {
    files: ['{lib,gateway,subgraphs,schema,scripts,test,bench}/**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: {
        // One service finds each file's tsconfig: the root one, or gateway/explorer/app/tsconfig.json for the
        // browser app (JSX, DOM types).
        projectService: true,
        tsconfigRootDir: root,
      },
    },
    settings: {
      // Without these import-x parses only .js files, and no-cycle would never follow a .ts import.
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'gateway/explorer/app/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // Type-aware: a promise nobody awaits loses its rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',

      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layerZones }],

      // `_`-prefixed names are deliberately unused: a rest-destructure that drops a key
      // (`const { stacktrace: _stacktrace, ...rest }`), a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `any` in product code needs an eslint-disable comment that says why (as subgraph-server.ts's resolver map
      // does in prose); tests and benchmarks read untyped JSON bodies, where it is switched off below.
      '@typescript-eslint/no-explicit-any': 'error',
      // TypeScript already reports undefined names, and knows the Node and DOM globals per tsconfig.
      'no-undef': 'off',
    },
  },
  // The same two layers by specifier as well, so that an import of a file that does not exist (yet), which the
  // resolver above cannot place, is still caught: `../subgraphs/kit/index.ts` from gateway/, say.
  {
    files: ['lib/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`^\.{1,2}/(.*/)?(gateway|subgraphs)/`,
              message: 'lib is the bottom layer: it imports nothing of gateway/ or subgraphs/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['gateway/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: String.raw`^\.{1,2}/(.*/)?subgraphs/`, message: 'The gateway never imports a subgraph: it reaches them over HTTP.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks read GraphQL responses, untyped JSON, with `data.cases.nodes.map((c: any) => …)`:
    // typing every response shape would bury the assertion; the types under test are checked by tsc.
    files: ['test/**', 'bench/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
