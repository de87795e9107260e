import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// What would switch Apollo's reporting to Apollo Studio on, were the servers to listen to it.
const APOLLO_VARIABLES = {
  APOLLO_KEY: 'service:liaison-test:not-a-real-key',
  APOLLO_GRAPH_REF: 'liaison-test@current',
  APOLLO_SCHEMA_REPORTING: 'true',
};
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

// Every fetch the servers (in this process) make, refused when it would leave the machine.
const offsite: string[] = [];
const realFetch = globalThis.fetch;
vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (LOOPBACK.has(url.hostname)) return realFetch(input, init);
  offsite.push(url.toString());
  return Promise.reject(new TypeError('fetch failed: offsite in this test'));
});

let stack: Stack;
beforeAll(async () => {
  Object.assign(process.env, APOLLO_VARIABLES);
  stack = await startStack('pglite');
});
afterAll(async () => {
  for (const name of Object.keys(APOLLO_VARIABLES)) delete process.env[name];
  await stack?.close();
});

/** What a browser gets for `GET /graphql`: it sends `Accept: text/html` first. */
async function browse(url: string) {
  const response = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}
const hostsIn = (text: string) =>
  [...text.matchAll(/(?:https?:)?\/\/([a-z0-9.-]+\.[a-z]{2,})/gi)].map((match) => match[1]!).filter((host) => !LOOPBACK.has(host));

describe("Apollo's landing page and reporting", () => {
  it('GET /graphql in a browser gets a plain 400 from the gateway and every subgraph, never a page loading from elsewhere', async () => {
    for (const url of [stack.gatewayUrl, ...Object.values(stack.subgraphUrls)]) {
      const page = await browse(url);
      expect(page.status, url).toBe(400);
      expect(page.type, url).toMatch(/^application\/json/);
      expect(page.body, url).not.toMatch(/<html|<script/i);
      expect(hostsIn(page.body), url).toEqual([]);
    }
  });

  it('with APOLLO_KEY, APOLLO_GRAPH_REF and APOLLO_SCHEMA_REPORTING set, starts, answers and stops without calling anywhere', async () => {
    const answer = await graphql(stack.gatewayUrl, '{ wantedPerson(id: "W000000001") { id noticeType } }', {}, await bearer());
    expect(answer.errors).toBeUndefined();
    // Usage reports would go out at the latest when the gateway stops.
    await stack.close();
    stack = undefined as never;
    expect(offsite).toEqual([]);
  });
});
