import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '../lib/config/env.ts';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { EXAMPLES } from '../gateway/explorer/app/examples.ts';
import { sessionHeaders } from '../gateway/explorer/app/session.ts';
import type { DevProfile } from '../gateway/explorer/server/explorer-profiles.ts';
import { runShell, shellBlocks } from './support/readme-shell.ts';

// Blocks a reader cannot run on a fresh checkout: they need `npm run subgraph:new` to have added a subgraph.
const NEEDS_A_NEW_SUBGRAPH = "Adding your agency's subgraph";

let stack: ChildProcess;
let origin: string;
beforeAll(async () => {
  // `npm start` without its explorer build, on free ports, as test/start.test.ts runs it.
  stack = spawn('node', ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: childEnvironment({
      PORT: '0',
      OPS_PORT: '0',
      WANTED_PERSONS_PORT: '0',
      STOLEN_PROPERTY_PORT: '0',
      CASE_STATUS_PORT: '0',
      LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  stack.stderr!.on('data', (chunk) => (output += chunk));
  origin = await new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start was not ready:\n${output}`)), 100_000);
    stack.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(output);
      if (match) ready((clearTimeout(timer), match[1]!));
    });
    stack.once('exit', (code) => fail(new Error(`npm start exited ${code}:\n${output}`)));
  });
}, 120_000);
afterAll(async () => {
  if (!stack || stack.exitCode !== null) return;
  const exited = new Promise((done) => stack.once('exit', done));
  stack.kill('SIGTERM');
  await exited;
});

/** Every list in an answer: an example whose lists come back empty shows a newcomer nothing. */
const listsIn = (value: unknown, path = ''): { path: string; length: number }[] => {
  if (Array.isArray(value)) return [{ path, length: value.length }, ...value.flatMap((item, i) => listsIn(item, `${path}.${i}`))];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => listsIn(item, `${path}.${key}`));
  return [];
};

/** A GraphQL answer a documented example must give: data, no errors, every top-level field filled. */
function expectFullAnswer(answer: { data?: Record<string, unknown> | null; errors?: unknown }, what: string): void {
  expect(answer.errors, what).toBeUndefined();
  expect(answer.data, what).toBeTruthy();
  for (const [field, value] of Object.entries(answer.data!)) expect(value, `${what}: ${field}`).not.toBeNull();
}

describe('README and docs/ examples', () => {
  // The README first (its token is the one later pages use), then every page of docs/, as a reader following the links would.
  const pages = [
    'README.md',
    ...readdirSync(resolve(ROOT, 'docs'))
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => `docs/${file}`),
  ];
  const blocks = pages
    .flatMap((page) => shellBlocks(readFileSync(resolve(ROOT, page), 'utf8')))
    .filter((block) => block.curlUrls.length > 0 && block.heading !== NEEDS_A_NEW_SUBGRAPH);

  it('starts with a token command and a query, under "Run it"', () => {
    expect(blocks[0]).toMatchObject({ heading: 'Run it' });
    expect(blocks[0]!.script).toMatch(/^TOKEN=\$\(npm run -s token -- /);
  });

  it('answer, pasted verbatim into one shell in order, with data and no errors', async () => {
    const script = blocks.map((block) => block.script).join('\n');
    const answers = await runShell(script.replaceAll('http://localhost:4000', origin), ROOT, childEnvironment({}));
    const urls = blocks.flatMap((block) => block.curlUrls);
    expect(answers).toHaveLength(urls.length);
    answers.forEach((text, i) => {
      const what = `curl #${i + 1} (${urls[i]})`;
      const answer = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown };
      if (new URL(urls[i]!).pathname === '/graphql') expectFullAnswer(answer, what);
      else expect(answer.errors, what).toBeUndefined();
      for (const list of listsIn(answer)) expect(list.length, `${what}: ${list.path}`).toBeGreaterThan(0);
    });
  }, 60_000);
});

describe('explorer examples', () => {
  it('each answers its demo profile, with the purpose it names, with data and no errors', async () => {
    const profiles = (await (await fetch(`${origin}/explorer/dev-profiles`)).json()) as DevProfile[];
    for (const example of EXAMPLES) {
      const profile = profiles.find((candidate) => candidate.name === example.profile);
      expect(profile?.token, `${example.title}: demo profile "${example.profile}"`).toEqual(expect.any(String));
      // The headers the explorer sends for that session (gateway/explorer/app/app.tsx).
      const headers = sessionHeaders({
        token: profile!.token!,
        profile: profile as never,
        purpose: example.purpose,
        purposeReference: 'EXPLORER-EXAMPLE',
      });
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query: example.query }),
      });
      expect(response.status, example.title).toBe(200);
      expectFullAnswer((await response.json()) as { data?: Record<string, unknown> | null }, example.title);
    }
  });
});
