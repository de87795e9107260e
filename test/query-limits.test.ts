import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGatewayConfig } from '../gateway/config.ts';
import { graphql, type GraphqlResponse } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite', {
    gatewayEnv: {
      PARTNER_TIERS: 'XXPREM001=premium,XXBASIC01=basic',
      FIELD_SUGGESTIONS_ENABLED: 'false',
      INTROSPECTION_ENABLED: 'false',
    },
  });
});
afterAll(() => stack?.close());

const ask = async (query: string, agency = 'XXTEST001', variables?: Record<string, unknown>) =>
  graphql(stack.gatewayUrl, query, variables, await bearer({ agency }));

function expectLimit(response: GraphqlResponse, limit: string, max: number) {
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, max });
}

/** An operation `depth` fields deep (depth - 2 divisible by 4): case → subjects → nodes → cases → nodes → … → caseNumber. */
function nested(depth: number): string {
  let selection = 'caseNumber';
  for (let round = 0; round < (depth - 2) / 4; round += 1)
    selection = `subjects(first: 1) { nodes { cases(first: 1) { nodes { ${selection} } } } }`;
  return `{ case(caseNumber: "C000000001") { ${selection} } }`;
}

describe('query limits refuse abusive operations before planning, coded QUERY_TOO_COMPLEX', () => {
  it('depth: 12 levels pass, deeper is refused naming the depth found', async () => {
    const ok = await ask(nested(10));
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.case?.subjects?.nodes).toHaveLength(1);
    const deep = await ask(nested(14));
    expectLimit(deep, 'depth', 12);
    expect(deep.errors?.[0]?.message).toBe('Query depth limit of 12 exceeded, found 14.');
  });

  it('aliases: a batch of 100 lookups passes, 101 are refused', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: wantedPerson(id: "W000000001") { id }`).join(' ')} }`;
    const ok = await ask(aliases(100));
    expect(ok.errors).toBeUndefined();
    expect(Object.keys(ok.data ?? {})).toHaveLength(100);
    expectLimit(await ask(aliases(101)), 'aliases', 100);
  });

  it('directives: 50 pass, 51 are refused', async () => {
    const directives = (n: number) => `{ wantedPerson(id: "W000000001") { ${'id @include(if: true) '.repeat(n)} } }`;
    expect((await ask(directives(50))).errors).toBeUndefined();
    expectLimit(await ask(directives(51)), 'directives', 50);
  });

  it('tokens: a document over 2,000 tokens is refused while parsing', async () => {
    const response = await ask(`{ ${'__typename '.repeat(2_100)}}`);
    expectLimit(response, 'tokens', 2000);
    expect(response.errors?.[0]?.message).toBe('Token limit of 2000 exceeded');
  });

  it('cost: the budget follows the partner tier (basic 5,000, standard 50,000, premium 250,000)', async () => {
    // 1 + 100 x (1 + 1 + 50 x 1) = 5,201.
    const wide = '{ cases(first: 100) { nodes { caseNumber subjects(first: 50) { nodes { id } } } } }';
    const basic = await ask(wide, 'XXBASIC01');
    expectLimit(basic, 'cost', 5000);
    expect(basic.errors?.[0]?.extensions).toMatchObject({ cost: 5201, tier: 'basic' });
    expect(basic.errors?.[0]?.message).toContain('Estimated cost 5201 exceeds the basic tier');
    expect((await ask(wide, 'XXTEST001')).errors).toBeUndefined();

    // 1 + 100 x (1 + 1 + 100 x (1 + 1 + 5 x 1)) = 70,201: over standard, within premium.
    const wider =
      'query($n: Int) { cases(first: 100) { nodes { subjects(first: $n) { nodes { cases(first: 5) { nodes { caseNumber } } } } } } }';
    const standard = await ask(wider, 'XXTEST001', { n: 100 });
    expectLimit(standard, 'cost', 50000);
    expect(standard.errors?.[0]?.extensions).toMatchObject({ cost: 70201, tier: 'standard' });
    const premium = await ask(wider, 'XXPREM001', { n: 100 });
    expect(premium.errors).toBeUndefined();
    expect(premium.data?.cases?.nodes.length).toBeGreaterThan(0);
  });
});

describe('what else a hostile client meets', () => {
  it('field suggestions are cut from validation errors', async () => {
    const response = await ask('{ case(caseNumber: "C000000001") { titl } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toBe('Cannot query field "titl" on type "Case".');
  });

  it('introspection is refused when off', async () => {
    const response = await ask('{ __schema { types { name } } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toMatch(/introspection is not allowed/);
  });

  it('production turns suggestions, introspection and rate limits to their safe defaults', () => {
    const config = loadGatewayConfig({ NODE_ENV: 'production', AUTH_ISSUER: 'https://issuer.example' });
    expect(config.introspectionEnabled).toBe(false);
    expect(config.hardening.fieldSuggestions).toBe(false);
    expect(config.hardening.rateLimit).toEqual({
      subject: { perSecond: 50, burst: 100 },
      agency: { perSecond: 200, burst: 400 },
      anonymous: { perSecond: 20, burst: 40 },
    });
    expect(loadGatewayConfig({}).hardening.fieldSuggestions).toBe(true);
  });

  it('a bad limit setting stops start-up naming the variable', () => {
    expect(() => loadGatewayConfig({ QUERY_MAX_DEPTH: '0' })).toThrow(/QUERY_MAX_DEPTH/);
    expect(() => loadGatewayConfig({ PARTNER_TIERS: 'FRPN00001=gold' })).toThrow(/PARTNER_TIERS/);
    expect(() => loadGatewayConfig({ COST_LIMITS: 'premium:lots' })).toThrow(/COST_LIMITS/);
    expect(loadGatewayConfig({ COST_LIMITS: 'premium:50000' }).hardening.costLimits).toEqual({
      basic: 5000,
      standard: 50000,
      premium: 50000,
    });
  });

  it('an operation name the document lacks is 400 OPERATION_RESOLUTION_FAILURE, not a 500', async () => {
    const response = await graphql(stack.gatewayUrl, 'query A { __typename }', undefined, await bearer());
    expect(response.status).toBe(200);
    const named = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer()) },
      body: JSON.stringify({ query: 'query A { __typename }', operationName: 'B' }),
    });
    expect(named.status).toBe(400);
    expect(await named.json()).toEqual({
      errors: [{ message: 'Unknown operation named "B".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
    });
  });

  it('a persisted query Apollo cannot use is 400 BAD_REQUEST, not INTERNAL_SERVER_ERROR', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer()) },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('batched operations are refused whole with 400 BAD_REQUEST', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer()) },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } });
  });

  it('CSRF prevention: a simple cross-site request (GET without a preflight header, or text/plain POST) is refused', async () => {
    const url = `${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
    expect(await simple.text()).toMatch(/CSRF/);
    const preflighted = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    const plain = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"query":"{ __typename }"}',
    });
    expect(plain.status).toBe(400);
  });
});
