import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { type ConformanceCase, INVALID_CASES, VALID_CASES } from './support/conformance-cases.ts';
import { identityHeaders } from './support/identity.ts';
import { type PlainGateway, startPlainGateway } from './support/plain-gateway.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer, FULL_PARTNER } from './support/tokens.ts';

/**
 * The GraphQL execution rules Liaison applies itself before planning (variable coercion and defaults,
 * `@skip`/`@include`, fragments, aliases, abstract types) must give the answer graphql-js and Apollo
 * give. The reference is plain @apollo/gateway on the same supergraph and the same subgraphs. It
 * enforces no field rule and no purpose, so Liaison's caller may read every field asked for and
 * declares an investigative purpose: then nothing is Liaison's to refuse, and both answers must be
 * equal, status and body.
 */
const PURPOSE = { code: 'INVESTIGATION', reference: 'CONFORMANCE-1' } as const;
const CALLER: Caller = {
  principal: {
    subject: FULL_PARTNER.subject,
    agency: FULL_PARTNER.agency,
    scopes: new Set(FULL_PARTNER.scopes),
    jurisdictions: FULL_PARTNER.jurisdictions,
  },
  purpose: PURPOSE,
};

let stack: Stack;
let plain: PlainGateway;
beforeAll(async () => {
  stack = await startStack('pglite');
  plain = await startPlainGateway(stack.subgraphUrls);
});
afterAll(async () => {
  await plain?.close();
  await stack?.close();
});

interface Answer {
  status: number;
  body: unknown;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  try {
    return { status: response.status, body: withoutRequestIds(JSON.parse(text)) };
  } catch {
    return { status: response.status, body: text };
  }
}

/**
 * A subgraph's masked error names the request it logged it under, through either gateway: a fresh id
 * on every request, so the one difference two equal answers may have.
 */
function withoutRequestIds(body: { errors?: { extensions?: Record<string, unknown> }[] }): unknown {
  for (const error of body.errors ?? []) if (typeof error.extensions?.requestId === 'string') error.extensions.requestId = '<request id>';
  return body;
}

/** The same request through Liaison (as the partner) and through plain Apollo (as its gateway identity). */
async function both(testCase: ConformanceCase): Promise<{ liaison: Answer; apollo: Answer }> {
  const [liaison, apollo] = await Promise.all([
    post(stack.gatewayUrl, testCase.body, await bearer({}, PURPOSE)),
    post(plain.url, testCase.body, await identityHeaders(CALLER)),
  ]);
  return { liaison, apollo };
}

describe('Liaison answers as plain @apollo/gateway', () => {
  it.each(VALID_CASES)('$name', async (testCase) => {
    const { liaison, apollo } = await both(testCase);
    expect(apollo.status, JSON.stringify(apollo.body)).toBe(200);
    expect(liaison).toEqual(apollo);
  });

  it.each(INVALID_CASES)('refuses the same way: $name', async (testCase) => {
    const { liaison, apollo } = await both(testCase);
    expect(apollo.status, JSON.stringify(apollo.body)).toBeGreaterThanOrEqual(400);
    expect(apollo.status).toBeLessThan(500);
    expect(liaison).toEqual(apollo);
  });
});
