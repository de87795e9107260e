import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personId } from '../subgraphs/kit/seed/seed-plan.ts';
import { graphql } from './support/graphql-client.ts';
import { visibleSeeded } from './support/row-oracle.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer, FULL_PARTNER } from './support/tokens.ts';

// A Spanish partner granted France only: it sees a minority of the records the full partner sees.
const RESTRICTED = { agency: 'ESPN00001', jurisdictions: ['FR'] };
const IDS = Array.from({ length: 40 }, (_, i) => personId(i + 1));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('postgres', { redis: true });
});
afterAll(() => stack?.close());

/** Looks up every id in one operation; the ids the caller got a record for. */
async function lookUp(ids: string[], claims = {}): Promise<Record<string, { id: string; noticeType: string } | null>> {
  const query = `{ ${ids.map((id, i) => `p${i}: wantedPerson(id: "${id}") { id noticeType }`).join(' ')} }`;
  const response = await graphql(stack.gatewayUrl, query, undefined, await bearer(claims));
  expect(response.errors).toBeUndefined();
  return Object.fromEntries(ids.map((id, i) => [id, response.data![`p${i}`]]));
}

/** A counter of the wanted-persons subgraph's /metrics, 0 when not yet exposed. */
async function metric(name: string, entity = 'WantedPerson'): Promise<number> {
  const text = await (await fetch(stack.subgraphUrls['wanted-persons']!.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((row) => row.startsWith(`${name}{subgraph="wanted-persons",entity="${entity}"}`));
  return line ? Number(line.split(' ')[1]) : 0;
}

describe('lookup cache through the gateway, on Redis', () => {
  it('serves a restricted partner from keys a privileged one warmed, showing only what its rules allow', async () => {
    const full = await lookUp(IDS);
    const fullVisible = visibleSeeded('person', FULL_PARTNER, IDS.length).map(personId);
    expect(IDS.filter((id) => full[id] !== null)).toEqual(fullVisible);
    const hitsBefore = await metric('liaison_cache_hits_total');
    stack.resetQueryCounts();
    const restricted = await lookUp(IDS, RESTRICTED);
    expect(stack.queryCounts()['wanted-persons']).toBe(0);
    expect(await metric('liaison_cache_hits_total')).toBe(hitsBefore + IDS.length);
    const expected = visibleSeeded('person', RESTRICTED, IDS.length).map(personId);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(IDS.length);
    expect(Object.keys(restricted).filter((id) => restricted[id] !== null)).toEqual(expected);
    // A hidden record is exactly a missing one: null, as an id that does not exist.
    const hidden = fullVisible.find((id) => !expected.includes(id))!;
    expect(await lookUp([hidden, 'W999999999'], RESTRICTED)).toEqual({ [hidden]: null, W999999999: null });
  });

  it('counts a hit at /metrics', async () => {
    await lookUp([IDS[0]!]);
    const before = await metric('liaison_cache_hits_total');
    await lookUp([IDS[0]!]);
    expect(await metric('liaison_cache_hits_total')).toBe(before + 1);
  });

  it('serves a changed row after its key is invalidated, and the cached one until then', async () => {
    const id = IDS[5]!;
    const before = (await lookUp([id]))[id]!.noticeType;
    const changed = before === 'RED' ? 'BLUE' : 'RED';
    await stack.databases['wanted-persons']!.query('update wanted_person set notice_type = $1 where id = $2', [changed, id]);
    expect((await lookUp([id]))[id]!.noticeType).toBe(before);
    await stack.subgraphs['wanted-persons']!.cache.invalidate('WantedPerson', [id]);
    expect((await lookUp([id]))[id]!.noticeType).toBe(changed);
  });

  it('costs one SQL query for concurrent identical lookups from separate requests', async () => {
    const id = personId(77);
    const headers = await bearer();
    stack.resetQueryCounts();
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => graphql(stack.gatewayUrl, 'query($id: ID!) { wantedPerson(id: $id) { id } }', { id }, headers)),
    );
    expect(responses.every((response) => response.data?.wantedPerson?.id === id)).toBe(true);
    expect(stack.queryCounts()['wanted-persons']).toBe(1);
  });

  it('caches property lookups by VIN and by document number too', async () => {
    const ask = async (query: string) => (await graphql(stack.gatewayUrl, query, undefined, await bearer())).data!;
    const { propertyItem: vehicle } = await ask('{ propertyItem(id: "V000000010") { ... on Vehicle { vin } } }');
    const { propertyItem: document } = await ask(
      '{ propertyItem(id: "D000000005") { ... on TravelDocument { documentNumber issuingCountry } } }',
    );
    const lookups = `{ vehicleByVin(vin: "${vehicle.vin}") { id } travelDocument(documentNumber: "${document.documentNumber}", issuingCountry: "${document.issuingCountry}") { id } }`;
    const first = await ask(lookups);
    stack.resetQueryCounts();
    expect(await ask(lookups)).toEqual(first);
    expect(first).toEqual({ vehicleByVin: { id: 'V000000010' }, travelDocument: { id: 'D000000005' } });
    expect(stack.queryCounts()['stolen-property']).toBe(0);
  });
});
