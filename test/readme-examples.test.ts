import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '../lib/config/env.ts';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { EXAMPLES, isSubscription } from '../gateway/explorer/app/examples.ts';
import { sessionHeaders } from '../gateway/explorer/app/session.ts';
import type { DevProfile } from '../gateway/explorer/server/explorer-profiles.ts';
import { type RunningStream, runShell, shellBlocks } from './support/readme-shell.ts';
import { subgraphPortsAtZero } from './support/free-ports.ts';

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
      ...subgraphPortsAtZero(),
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

/** The `event: next` results of an SSE stream's text, in order. */
const nextEvents = (text: string): { id?: string; data: any }[] =>
  text
    .split(/\n\n/)
    .map((block) => block.split('\n'))
    .filter((lines) => lines.includes('event: next'))
    .map((lines) => ({
      id: lines.find((line) => line.startsWith('id: '))?.slice(4),
      data: JSON.parse(
        lines
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n'),
      ),
    }));

const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id } }`;

/** A wanted notice issued through the gateway as the analyst demo profile (FRPN00001, as the README's token): its id. */
async function issueNotice(): Promise<string> {
  const profiles = (await (await fetch(`${origin}/explorer/dev-profiles`)).json()) as DevProfile[];
  const analyst = profiles.find((profile) => profile.name === 'analyst FR (read + PII)')!;
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${analyst.token}`,
      'liaison-purpose': 'INVESTIGATION',
      'liaison-purpose-reference': 'README-ALERTS',
    },
    body: JSON.stringify({
      query: ISSUE,
      variables: {
        key: randomUUID(),
        input: { familyName: 'Alert', givenNames: 'Ada', sex: 'UNKNOWN', noticeType: 'BLUE', jurisdiction: 'FR' },
      },
    }),
  });
  const answer = (await response.json()) as { data?: { issueWantedNotice: { id: string } }; errors?: unknown };
  expect(answer.errors, 'issuing a notice to trigger an event').toBeUndefined();
  return answer.data!.issueWantedNotice.id;
}

/**
 * A documented SSE subscription, while its `curl` runs: notices are issued (the stream may not be
 * subscribed yet when the first is) until one arrives on the stream, then the curl is stopped.
 */
async function expectAlertOn(stream: RunningStream): Promise<void> {
  const issued: string[] = [];
  for (let attempt = 0; attempt < 15; attempt++) {
    issued.push(await issueNotice());
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      const events = nextEvents(stream.output());
      const mine = events.find((event) => issued.includes(event.data?.data?.wantedPersonEvents?.person?.id));
      if (mine) {
        expect(mine.data.errors).toBeUndefined();
        expect(mine.id).toMatch(/^\d+$/);
        expect(mine.data.data.wantedPersonEvents).toEqual({
          id: mine.id,
          change: 'CREATED',
          at: expect.any(String),
          person: { id: expect.any(String), fullName: 'Ada Alert', noticeType: 'BLUE', jurisdiction: 'FR' },
        });
        stream.stop();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no event for ${issued.join(', ')} on the stream:\n${stream.output()}`);
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
    const streamed: RunningStream[] = [];
    const answers = await runShell(script.replaceAll('http://localhost:4000', origin), ROOT, childEnvironment({}), (stream) => {
      streamed.push(stream);
      return expectAlertOn(stream);
    });
    const urls = blocks.flatMap((block) => block.curlUrls);
    const streams = blocks.flatMap((block) => block.curlStreams);
    expect(answers).toHaveLength(urls.length);
    // The README's and docs/alerts.md's SSE subscriptions, each of which received an event.
    expect(streamed).toHaveLength(streams.filter(Boolean).length);
    expect(streamed.length).toBeGreaterThanOrEqual(2);
    answers.forEach((text, i) => {
      const what = `curl #${i + 1} (${urls[i]})`;
      if (streams[i]) return expect(nextEvents(text).length, what).toBeGreaterThan(0);
      const answer = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: unknown };
      if (new URL(urls[i]!).pathname === '/graphql') expectFullAnswer(answer, what);
      else expect(answer.errors, what).toBeUndefined();
      for (const list of listsIn(answer)) expect(list.length, `${what}: ${list.path}`).toBeGreaterThan(0);
    });
  }, 120_000);
});

describe('explorer examples', () => {
  it('each answers its demo profile, with the purpose it names, with data and no errors', async () => {
    const profiles = (await (await fetch(`${origin}/explorer/dev-profiles`)).json()) as DevProfile[];
    for (const example of EXAMPLES.filter((candidate) => !isSubscription(candidate))) {
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

describe('explorer subscription examples', () => {
  it('each is accepted over WebSocket with the credentials in connection_init, and the wanted-person one delivers a write', async () => {
    const profiles = (await (await fetch(`${origin}/explorer/dev-profiles`)).json()) as DevProfile[];
    for (const example of EXAMPLES.filter(isSubscription)) {
      const profile = profiles.find((candidate) => candidate.name === example.profile)!;
      // The connection_init payload the explorer sends (gateway/explorer/app/app.tsx).
      const connectionParams = sessionHeaders({
        token: profile.token!,
        profile: profile as never,
        purpose: example.purpose,
        purposeReference: 'EXPLORER-EXAMPLE',
      });
      const client = createClient({
        url: origin.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
      });
      const results: { data?: any; errors?: unknown }[] = [];
      let failure: unknown;
      const stop = client.subscribe(
        { query: example.query },
        { next: (result) => void results.push(result as never), error: (error) => (failure = error), complete: () => undefined },
      );
      try {
        if (/wantedPersonEvents/.test(example.query)) {
          const issued: string[] = [];
          for (let attempt = 0; attempt < 15 && !results.some((r) => issued.includes(r.data?.wantedPersonEvents?.person?.id)); attempt++) {
            issued.push(await issueNotice());
            const deadline = Date.now() + 2_000;
            while (Date.now() < deadline && !results.some((r) => issued.includes(r.data?.wantedPersonEvents?.person?.id)))
              await new Promise((resolve) => setTimeout(resolve, 100));
          }
          const mine = results.find((r) => issued.includes(r.data?.wantedPersonEvents?.person?.id));
          expect(mine, `${example.title}: an event for ${issued.join(', ')}`).toBeDefined();
          expect(mine!.errors, example.title).toBeUndefined();
          expect(mine!.data.wantedPersonEvents).toMatchObject({ change: 'CREATED', person: { fullName: 'Ada Alert', jurisdiction: 'FR' } });
        } else {
          // No demo profile may write these records: the subscription must at least be open and unrefused.
          await new Promise((resolve) => setTimeout(resolve, 1_500));
        }
        expect(failure, example.title).toBeUndefined();
        for (const result of results) expect(result.errors, example.title).toBeUndefined();
      } finally {
        stop();
        await client.dispose();
      }
    }
  }, 90_000);
});
