import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

const READ_ONLY = { scopes: ['wanted:read', 'property:read', 'case:read'] };

let stack: Stack;
let rejecting: Stack;
beforeAll(async () => {
  [stack, rejecting] = await Promise.all([
    startStack('pglite'),
    startStack('pglite', { gatewayEnv: { AUTHZ_REJECT_UNAUTHORIZED: 'true' } }),
  ]);
});
afterAll(() => Promise.all([stack?.close(), rejecting?.close()]));

const codes = (errors: { extensions?: Record<string, unknown> }[] | undefined) => errors?.map((e) => e.extensions?.code);

describe('field rules at the gateway', () => {
  it('does not ask a subgraph when everything it would be asked for is unauthorized', async () => {
    stack.resetQueryCounts();
    const response = await graphql(
      stack.gatewayUrl,
      '{ case(caseNumber: "C000000001") { caseNumber subjects { nodes { fullName } } } }',
      {},
      await bearer(READ_ONLY),
    );
    expect(response.data).toEqual({ case: { caseNumber: 'C000000001', subjects: null } });
    expect(codes(response.errors)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    expect(stack.queryCounts()['wanted-persons']).toBe(0);
    expect(stack.queryCounts()['case-status']).toBeGreaterThan(0);
  });

  it('does not let a partner count records of a kind it may not read', async () => {
    const response = await graphql(
      stack.gatewayUrl,
      '{ cases { totalCount } searchProperty { totalCount } }',
      {},
      await bearer({ scopes: ['wanted:read'] }),
    );
    expect(response.data).toEqual({ cases: null, searchProperty: null });
    expect(response.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['cases'], 'UNAUTHORIZED_FIELD_OR_TYPE'],
      [['searchProperty'], 'UNAUTHORIZED_FIELD_OR_TYPE'],
    ]);
  });

  it('evaluates @include and @skip with the request variables', async () => {
    const query = 'query($show: Boolean!) { wantedPerson(id: "W000000001") { id fullName @include(if: $show) } }';
    const hidden = await graphql(stack.gatewayUrl, query, { show: false }, await bearer(READ_ONLY));
    expect(hidden).toMatchObject({ data: { wantedPerson: { id: 'W000000001' } } });
    expect(hidden.errors).toBeUndefined();
    const shown = await graphql(stack.gatewayUrl, query, { show: true }, await bearer(READ_ONLY));
    expect(shown.data).toEqual({ wantedPerson: { id: 'W000000001', fullName: null } });
    expect(shown.errors?.map((e) => e.path)).toEqual([['wantedPerson', 'fullName']]);
  });

  it('reports a field asked twice, under two aliases, at both paths', async () => {
    const response = await graphql(
      stack.gatewayUrl,
      '{ wantedPerson(id: "W000000001") { a: fullName b: fullName fullName } }',
      {},
      await bearer(READ_ONLY),
    );
    expect(response.data).toEqual({ wantedPerson: { a: null, b: null, fullName: null } });
    expect(response.errors?.map((e) => e.path)).toEqual([
      ['wantedPerson', 'a'],
      ['wantedPerson', 'b'],
      ['wantedPerson', 'fullName'],
    ]);
  });

  it('holds through inline fragments on an interface, per concrete type', async () => {
    const query = '{ propertyItem(id: "V000000010") { id ... on Vehicle { vin } ... on Firearm { serialNumber } } }';
    const denied = await graphql(stack.gatewayUrl, query, {}, await bearer({ scopes: ['wanted:read'] }));
    expect(denied.data).toEqual({ propertyItem: null });
    expect(denied.errors?.map((e) => e.path)).toEqual([['propertyItem']]);
    const allowed = await graphql(stack.gatewayUrl, query, {}, await bearer(READ_ONLY));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.propertyItem).toEqual({ id: 'V000000010', vin: expect.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/) });
  });

  it('resolves @policy through the purpose the request declares', async () => {
    const query = '{ case(caseNumber: "C000000001") { statusHistory { status reason } } }';
    const headers = await bearer(READ_ONLY);
    const withoutPurpose = await graphql(stack.gatewayUrl, query, {}, headers);
    expect(withoutPurpose.errors?.[0]).toMatchObject({
      path: ['case', 'statusHistory', 0, 'reason'],
      extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
    });
    expect(withoutPurpose.data!.case.statusHistory[0]).toEqual({ status: expect.any(String), reason: null });
    const investigating = await graphql(
      stack.gatewayUrl,
      query,
      {},
      { ...headers, 'liaison-purpose': 'investigation', 'liaison-purpose-reference': 'FR-2026-0042' },
    );
    expect(investigating.errors).toBeUndefined();
    expect(investigating.data!.case.statusHistory.some((change: { reason: string | null }) => typeof change.reason === 'string')).toBe(
      true,
    );
  });

  it('refuses an unknown purpose code with a clear message', async () => {
    const response = await graphql(
      stack.gatewayUrl,
      '{ __typename }',
      {},
      { ...(await bearer(READ_ONLY)), 'liaison-purpose': 'curiosity' },
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.message).toContain('liaison-purpose must be one of INVESTIGATION');
    const tooLong = await graphql(
      stack.gatewayUrl,
      '{ __typename }',
      {},
      { ...(await bearer(READ_ONLY)), 'liaison-purpose-reference': 'x'.repeat(201) },
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.errors?.[0]).toMatchObject({
      message: 'liaison-purpose-reference must be UTF-8 text of at most 200 characters without control characters',
      extensions: { code: 'BAD_REQUEST' },
    });
  });

  it('with AUTHZ_REJECT_UNAUTHORIZED=true refuses the whole operation instead', async () => {
    const response = await graphql(rejecting.gatewayUrl, '{ wantedPerson(id: "W000000001") { id fullName } }', {}, await bearer(READ_ONLY));
    expect(response.data ?? null).toBeNull();
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: 'Operation refused: unauthorized WantedPerson.fullName',
        extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' },
      }),
    ]);
    const fine = await graphql(rejecting.gatewayUrl, '{ wantedPerson(id: "W000000001") { id } }', {}, await bearer(READ_ONLY));
    expect(fine).toMatchObject({ data: { wantedPerson: { id: 'W000000001' } } });
  });
});
