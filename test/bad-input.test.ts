import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, postRaw } from './support/graphql-client.ts';
import { bearer } from './support/tokens.ts';
import { type Stack, startStack } from './support/stack.ts';

/** One operation through the gateway as a partner with full access. */
const ask = async (url: string, query: string, variables?: Record<string, unknown>) => graphql(url, query, variables, await bearer());

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

describe('bad input gets a coded GraphQL error, never a 500', () => {
  it('a malformed query', async () => {
    const response = await ask(stack.gatewayUrl, '{ case(caseNumber: "C000000001") { title ');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field, named in the message', async () => {
    const response = await ask(stack.gatewayUrl, '{ case(caseNumber: "C000000001") { secretField } }');
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(response.errors?.[0]?.message).toContain('secretField');
  });

  it('a variable of the wrong type', async () => {
    const response = await ask(stack.gatewayUrl, 'query($first: Int) { cases(first: $first) { totalCount } }', { first: 'ten' });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('$first');
  });

  it('an oversized page, refused with the limit in the message and the rest of the answer kept', async () => {
    const response = await ask(stack.gatewayUrl, '{ cases(first: 1000) { totalCount } wantedPerson(id: "W000000001") { id } }');
    expect(response.status).toBe(200);
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]).toMatchObject({ path: ['cases'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(response.errors?.[0]?.message).toContain('between 1 and 100');
    expect(response.data?.wantedPerson).toEqual({ id: 'W000000001' });
  });

  it('a cursor that this API did not issue', async () => {
    const response = await ask(stack.gatewayUrl, '{ searchWantedPersons(name: "a", after: "not-a-cursor!") { totalCount } }');
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('a body that is not JSON', async () => {
    const response = await postRaw(stack.gatewayUrl, '{"query": ');
    expect(response.status).toBe(400);
    expect(response.json.errors[0]).toMatchObject({ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } });
  });

  it('an empty body', async () => {
    const response = await postRaw(stack.gatewayUrl, '');
    expect(response.status).toBe(400);
    expect(response.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a body over the size limit', async () => {
    const response = await postRaw(stack.gatewayUrl, JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(1_100_000) }));
    expect(response.status).toBe(413);
    expect(response.json.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('a date that does not exist', async () => {
    const response = await ask(stack.gatewayUrl, '{ searchWantedPersons(name: "jean", dateOfBirth: "1980-02-30") { totalCount } }');
    expect(response.errors?.[0]).toMatchObject({ path: ['searchWantedPersons'], extensions: { code: 'BAD_USER_INPUT', field: 'dateOfBirth' } });
  });
});
