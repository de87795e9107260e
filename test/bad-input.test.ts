import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devAuditKey } from '../subgraphs/kit/audit/load-audit-key.ts';
import { CursorSealer } from '../subgraphs/kit/rows/cursor-sealer.ts';
import { graphql, postRaw } from './support/graphql-client.ts';
import { askSubgraph } from './support/identity.ts';
import { type MemoryLog, memoryLog } from './support/memory-log.ts';
import { bearer } from './support/tokens.ts';
import { type Stack, startStack } from './support/stack.ts';

/** One operation through the gateway as a partner with full access. */
const ask = async (url: string, query: string, variables?: Record<string, unknown>) => graphql(url, query, variables, await bearer());

let stack: Stack;
let gatewayLog: MemoryLog;
beforeAll(async () => {
  gatewayLog = memoryLog();
  // Suggestions off, as production has them: no answer may name schema fields the partner did not ask for.
  stack = await startStack('pglite', { gatewayLog: gatewayLog.log, gatewayEnv: { FIELD_SUGGESTIONS_ENABLED: 'false' } });
});
afterAll(() => stack?.close());
beforeEach(() => gatewayLog.clear());

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
    expect(response.errors?.[0]).toMatchObject({
      path: ['searchWantedPersons'],
      extensions: { code: 'BAD_USER_INPUT', field: 'dateOfBirth' },
    });
  });
});

/** The one error of a response, expected BAD_USER_INPUT naming `field`, with a message that does not echo a huge value. */
function expectBadInput(response: Awaited<ReturnType<typeof ask>>, field: string) {
  expect(response.errors, JSON.stringify(response.errors)).toHaveLength(1);
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  expect(response.errors?.[0]?.message.length).toBeLessThan(300);
}

describe('an unexpected error reaches the client masked, with the request id to quote to operators', () => {
  it('a database error in a subgraph: generic message, request id, no SQL text; the gateway does not log it again as its own', async () => {
    const db = stack.databases['wanted-persons']!;
    await db.exec('alter table wanted_person rename to wanted_person_away');
    try {
      const response = await graphql(stack.gatewayUrl, '{ wantedPerson(id: "W000000001") { id } }', undefined, {
        ...(await bearer()),
        'x-request-id': 'bad-input-internal-1',
      });
      expect(response.errors).toEqual([
        {
          message: 'Internal server error',
          path: ['wantedPerson'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'bad-input-internal-1', serviceName: 'wanted-persons' },
        },
      ]);
      expect(JSON.stringify(response)).not.toMatch(/wanted_person|relation|exist/);
      expect(gatewayLog.entries().filter((entry) => (entry.level ?? 0) >= 50)).toEqual([]);
    } finally {
      await db.exec('alter table wanted_person_away rename to wanted_person');
    }
  });
});

describe('text no database can store is BAD_USER_INPUT naming the argument, before any SQL', () => {
  // Sealed as the subgraph seals (its development audit key), so the NUL reaches the plain cursor's own check.
  const cursor = (subgraph: string, key: string) =>
    CursorSealer.forSubgraph(devAuditKey(subgraph), subgraph).seal(Buffer.from(`k:${key}`, 'utf8').toString('base64url'));
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['NUL in an id', 'query($v: ID!) { wantedPerson(id: $v) { id } }', { v: 'W\u0000' }, 'id'],
    ['an unpaired surrogate in an id', 'query($v: ID!) { propertyItem(id: $v) { id } }', { v: 'V\ud800' }, 'id'],
    ['NUL in a case number', 'query($v: ID!) { case(caseNumber: $v) { caseNumber } }', { v: 'C\u0000' }, 'caseNumber'],
    ['NUL in a name', 'query($v: String!) { searchWantedPersons(name: $v) { totalCount } }', { v: 'jean\u0000' }, 'name'],
    ['a C1 control in a name', 'query($v: String!) { searchWantedPersons(name: $v) { totalCount } }', { v: 'jean\u0085' }, 'name'],
    ['NUL in a plate', 'query($v: String!) { vehiclesByPlate(plate: $v) { totalCount } }', { v: 'AB\u0000123' }, 'plate'],
    [
      'NUL in a filter',
      'query($v: String) { wantedPersonsAudit(filter: { partnerSubject: $v }) { totalCount } }',
      { v: 'a\u0000' },
      'filter.partnerSubject',
    ],
    [
      'NUL inside a cursor',
      'query($v: String) { searchWantedPersons(name: "jean", after: $v) { totalCount } }',
      { v: cursor('wanted-persons', 'W\u0000') },
      'after',
    ],
    [
      'NUL in a mutation input',
      'mutation($v: String!) { cancelWantedNotice(id: "W000000001", expectedVersion: 1, reason: $v, idempotencyKey: "bad-input-nul-1") { id } }',
      { v: 'fraud\u0000' },
      'reason',
    ],
  ];
  it.each(cases)('%s', async (_name, query, variables, field) => {
    stack.resetQueryCounts();
    const response = await ask(stack.gatewayUrl, query, variables);
    expectBadInput(response, field);
    expect(Object.values(stack.queryCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('NUL in the cursor of a nested field', async () => {
    const response = await ask(
      stack.gatewayUrl,
      'query($v: String) { case(caseNumber: "C000000001") { caseNumber subjects(after: $v) { totalCount } } }',
      { v: cursor('case-status', 'W\u0000') },
    );
    expect(response.data).toEqual({ case: { caseNumber: 'C000000001', subjects: null } });
    expect(response.errors?.[0]).toMatchObject({ path: ['case', 'subjects'], extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  });

  it('NUL in an entity representation sent to a subgraph', async () => {
    const response = await askSubgraph(
      stack.subgraphUrls['wanted-persons']!,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on WantedPerson { id } } }',
      {
        r: [
          { __typename: 'WantedPerson', id: 'W000000001' },
          { __typename: 'WantedPerson', id: 'W\u0000' },
        ],
      },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'representations.1.id' });
    expect(JSON.stringify(response)).not.toContain('UTF8');
  });
});

describe('lookup arguments of the wrong shape are BAD_USER_INPUT naming the argument, before the cache and the database', () => {
  const HUGE = 'W'.repeat(200_000);
  const cases: [string, string, string][] = [
    ['a 200 KB id', `{ wantedPerson(id: "${HUGE}") { id } }`, 'id'],
    ['a short person id', '{ wantedPerson(id: "W1") { id } }', 'id'],
    ['a person id in a property lookup', '{ propertyItem(id: "W000000001") { id } }', 'id'],
    ['a case number of another form', '{ case(caseNumber: "CASE-2026-1") { caseNumber } }', 'caseNumber'],
    ['a VIN of 200 KB', `{ vehicleByVin(vin: "${HUGE}") { id } }`, 'vin'],
    ['a plate of 200 KB', `{ vehiclesByPlate(plate: "${HUGE}") { totalCount } }`, 'plate'],
    ['a plate of punctuation only', '{ vehiclesByPlate(plate: "--..--") { totalCount } }', 'plate'],
    ['a country of 200 KB', `{ vehiclesByPlate(plate: "AB123CD", registrationCountry: "${HUGE}") { totalCount } }`, 'registrationCountry'],
    [
      'a document number with letters no document uses',
      '{ travelDocument(documentNumber: "ÄÖ#12", issuingCountry: "FR") { id } }',
      'documentNumber',
    ],
    ['a serial number of 200 KB', `{ firearmsBySerial(serialNumber: "${HUGE}") { totalCount } }`, 'serialNumber'],
    ['a serial number with symbols', '{ firearmsBySerial(serialNumber: "AB*12") { totalCount } }', 'serialNumber'],
    ['a name of 200 KB', `{ searchWantedPersons(name: "${HUGE}") { totalCount } }`, 'name'],
    ['a make of 200 KB', `{ firearmsBySerial(serialNumber: "AB12", make: "${HUGE}") { totalCount } }`, 'make'],
    ['a lead agency of 200 KB', `{ cases(leadAgency: "${HUGE}") { totalCount } }`, 'leadAgency'],
  ];
  it.each(cases)('%s', async (_name, query, field) => {
    stack.resetQueryCounts();
    const response = await ask(stack.gatewayUrl, query);
    expectBadInput(response, field);
    expect(Object.values(stack.queryCounts()).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('a well-shaped id that names no record is still null, without an error; case and separators are forgiven', async () => {
    const response = await ask(
      stack.gatewayUrl,
      '{ p: wantedPerson(id: "W999999999") { id } i: propertyItem(id: "V999999999") { id } c: case(caseNumber: "C999999999") { caseNumber } l: wantedPerson(id: " w000000001 ") { id } }',
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ p: null, i: null, c: null, l: { id: 'W000000001' } });
  });
});

describe('registering trusted documents', () => {
  const documentsUrl = () => stack.gatewayUrl.replace(/\/graphql$/, '/trusted-documents');

  it('refuses a bad purpose header with 400, as /graphql does', async () => {
    const response = await fetch(documentsUrl(), { headers: { ...(await bearer()), 'liaison-purpose': 'CURIOSITY' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('names the invalid field but suggests no schema names', async () => {
    const response = await fetch(documentsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearer()) },
      body: JSON.stringify({ operations: [{ body: '{ wantedPerson(id: "W000000001") { familyNam } }' }] }),
    });
    expect(response.status).toBe(400);
    const message = ((await response.json()) as { errors: { message: string }[] }).errors[0]!.message;
    expect(message).toContain('Cannot query field "familyNam"');
    expect(message).not.toContain('Did you mean');
  });
});
