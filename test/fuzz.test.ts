import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzCase, fuzzCase, prng } from './support/fuzz-cases.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

/** Fixed, so a failure reproduces; change it here to explore other cases. */
const SEED = 0x11a150;
const CASES = 2_400;
const CONCURRENCY = 24;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

interface Outcome {
  index: number;
  fuzz: FuzzCase;
  status: number;
  contentType: string;
  text: string;
}

async function send(index: number, fuzz: FuzzCase): Promise<Outcome> {
  const response = await fetch(`${stack.gatewayUrl}${fuzz.search}`, { method: fuzz.method, headers: fuzz.headers, body: fuzz.body });
  return { index, fuzz, status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** What is wrong with one answer, if anything: a 5xx, an uncoded error, or a masked internal error. */
function problem(outcome: Outcome): string | undefined {
  if (outcome.status >= 500) return `HTTP ${outcome.status}`;
  if (!/json/.test(outcome.contentType)) return outcome.status === 200 ? undefined : `non-JSON ${outcome.status} (${outcome.contentType})`;
  let body: { errors?: { extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return 'unparseable JSON';
  }
  if (outcome.status !== 200 && !body.errors?.length) return `HTTP ${outcome.status} without errors`;
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== 'string' || code.length === 0) return 'error without extensions.code';
    if (code === 'INTERNAL_SERVER_ERROR') return 'INTERNAL_SERVER_ERROR';
  }
  return undefined;
}

describe(`fuzz: ${CASES} seeded malformed bodies, queries, variables and headers`, () => {
  it('never answers 5xx, never crashes, codes every error', async () => {
    const random = prng(SEED);
    const auth = await bearer();
    const cases = Array.from({ length: CASES }, (_, index) => fuzzCase(random, index, auth));
    const outcomes: Outcome[] = [];
    for (let start = 0; start < cases.length; start += CONCURRENCY) {
      outcomes.push(...(await Promise.all(cases.slice(start, start + CONCURRENCY).map((fuzz, offset) => send(start + offset, fuzz)))));
    }
    const problems = outcomes.flatMap((outcome) => {
      const found = problem(outcome);
      const { authorization: _authorization, ...headers } = outcome.fuzz.headers;
      return found
        ? [
            `#${outcome.index} ${outcome.fuzz.kind} ${outcome.fuzz.method}${outcome.fuzz.search.slice(0, 200)}: ${found} — ${JSON.stringify(headers)} ${outcome.fuzz.body?.slice(0, 200)} → ${outcome.text.slice(0, 200)}`,
          ]
        : [];
    });
    expect(problems).toEqual([]);

    // The run exercised every kind and both outcomes, not just one refusal over and over.
    const kinds = new Set(outcomes.map((outcome) => outcome.fuzz.kind));
    expect(kinds.size).toBe(4);
    const statuses = new Set(outcomes.map((outcome) => outcome.status));
    for (const status of [200, 400, 401]) expect(statuses).toContain(status);
    const codes = new Set(
      outcomes.flatMap((outcome) =>
        /json/.test(outcome.contentType)
          ? ((JSON.parse(outcome.text).errors ?? []) as { extensions: { code: string } }[]).map((e) => e.extensions.code)
          : [],
      ),
    );
    for (const code of [
      'BAD_REQUEST',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_USER_INPUT',
      'UNAUTHENTICATED',
      'QUERY_TOO_COMPLEX',
    ])
      expect(codes).toContain(code);

    // Among them: operations whose defaulted variables were all omitted, answered, and variables
    // nested thousands of levels deep, refused as input errors.
    const variables = outcomes.filter((outcome) => outcome.fuzz.kind === 'variables');
    expect(
      variables.some(
        (outcome) => !outcome.fuzz.body!.includes('"variables"') && outcome.fuzz.body!.includes('= ') && outcome.status === 200,
      ),
    ).toBe(true);
    expect(variables.filter((outcome) => outcome.fuzz.body!.length > 4_000 && outcome.status === 400).length).toBeGreaterThan(10);

    // Still serving after all that.
    const after = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: '{ wantedPerson(id: "W000000001") { id } }' }),
    });
    expect(await after.json()).toEqual({ data: { wantedPerson: { id: 'W000000001' } } });
  }, 90_000);
});
