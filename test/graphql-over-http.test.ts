import { type AuditResult, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.ts';

/**
 * SHOULDs of the GraphQL over HTTP spec that Apollo Server does not meet, and why (see README,
 * "GraphQL over HTTP"): for `Accept: application/json` the spec prefers 200 for a well-formed request
 * whose document fails to parse or validate or whose variables fail coercion; Apollo Server answers
 * 400 for those whatever the media type, and partners may rely on it.
 */
const KNOWN_SHOULD_GAPS = ['572B', 'FDE2', '7B9B'];

let stack: Stack;
let results: { id: string; name: string; result: AuditResult }[];
beforeAll(async () => {
  stack = await startStack('pglite');
  // CSRF prevention refuses GETs without a non-simple header; a non-browser client sends this one.
  const fetchFn = (input: string | URL | Request, init: RequestInit = {}) =>
    fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers).entries()), 'apollo-require-preflight': 'true' } });
  results = [];
  for (const audit of serverAudits({ url: stack.gatewayUrl, fetchFn }))
    results.push({ id: audit.id, name: audit.name, result: await audit.fn() });
}, 120_000);
afterAll(() => stack?.close());

const failing = (level: string) =>
  results
    .filter(({ name, result }) => name.startsWith(level) && result.status !== 'ok')
    .map(({ id, name, result }) => `${id} ${name}: ${'reason' in result ? result.reason : ''}`);

describe('graphql-http server audit against the gateway', () => {
  it('runs the whole audit', () => {
    expect(results.length).toBeGreaterThan(50);
  });

  it('every MUST passes', () => {
    expect(failing('MUST')).toEqual([]);
  });

  it('every SHOULD passes but the documented ones Apollo Server does not allow', () => {
    expect(
      failing('SHOULD')
        .map((line) => line.slice(0, 4))
        .sort(),
    ).toEqual([...KNOWN_SHOULD_GAPS].sort());
  });

  it('every MAY passes for a client that sends the CSRF preflight header', () => {
    expect(failing('MAY')).toEqual([]);
  });
});
