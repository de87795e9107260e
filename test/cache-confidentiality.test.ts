import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVin } from '../subgraphs/kit/index.ts';
import { buildServer as buildProperty } from '../subgraphs/stolen-property/server.ts';
import { buildServer as buildPersons } from '../subgraphs/wanted-persons/server.ts';
import { askSubgraph } from './support/identity.ts';
import { deleteKeys, uniquePrefix } from './support/redis-keys.ts';
import { testConfig } from './support/test-config.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';

// Redis is shared and outside the owning agency's database: whoever reads it (an operator, a backup,
// a stolen dump) must learn nothing of the records from the cache's key names or values.

const prefix = uniquePrefix();
const redis = new Redis(testConfig.TEST_REDIS_URL);
let persons: TestSubgraph;
let property: TestSubgraph;
beforeAll(async () => {
  const cache = { redisUrl: testConfig.TEST_REDIS_URL, prefix };
  [persons, property] = await Promise.all([
    startTestSubgraph(buildPersons, 'postgres', 'cache_privacy_persons', { cache }),
    startTestSubgraph(buildProperty, 'postgres', 'cache_privacy_property', { cache }),
  ]);
});
afterAll(async () => {
  await Promise.all([persons?.stop(), property?.stop()]);
  redis.disconnect();
  await deleteKeys(prefix);
});

/** Every key under the prefix with its value. */
async function entries(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    for (const key of keys) {
      const value = await redis.get(key);
      if (value !== null) found.set(key, value);
    }
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** Every text a row holds, as PostgreSQL writes it and as JavaScript would (dates, timestamps). */
function textsOf(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) textsOf(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) textsOf(item, into);
  else if (value !== null && value !== undefined) {
    const text = String(value);
    into.add(text);
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
      into.add(text.slice(0, 10));
      if (text.includes('T')) into.add(new Date(text).toISOString());
    }
  }
  return into;
}

const rowsOf = async (subgraph: TestSubgraph, table: string, ids: string[]) =>
  (await subgraph.counted.db.query<{ row: unknown }>(`select row_to_json(t) as row from ${table} t where id = any($1)`, [ids])).map(
    (found) => (typeof found.row === 'string' ? JSON.parse(found.row) : found.row),
  );

describe('the Redis lookup cache holds no personal data or identifier in clear', () => {
  it('after lookups by id, VIN and document number, found and not found, no key or value shows any of them', async () => {
    const personIds = (
      await persons.counted.db.query<{ id: string }>(`select id from wanted_person where date_of_birth is not null order by id limit 5`)
    ).map((row) => row.id);
    const vehicles = await property.counted.db.query<{ id: string; vin: string }>(
      `select id, vin from property_item where kind = 'VEHICLE' order by id limit 3`,
    );
    const documents = await property.counted.db.query<{ id: string; document_number: string; issuing_country: string }>(
      `select id, document_number, issuing_country from property_item where kind = 'TRAVEL_DOCUMENT' order by id limit 3`,
    );
    const missing = {
      person: 'W999999990',
      vin: makeVin({ wmi: 'VF3', vds: 'NXCCH', year: 2022, plant: 'L', serial: 424242 }),
      doc: 'NX4242424',
    };

    const personQuery = `{ ${[...personIds, missing.person].map((id, i) => `p${i}: wantedPerson(id: "${id}") { id familyName dateOfBirth }`).join(' ')} }`;
    const propertyQuery = `{ ${[
      ...vehicles.map((v, i) => `v${i}: vehicleByVin(vin: "${v.vin}") { id } i${i}: propertyItem(id: "${v.id}") { id }`),
      ...documents.map(
        (d, i) =>
          `d${i}: travelDocument(documentNumber: "${d.document_number}", issuingCountry: "${d.issuing_country}") { id } j${i}: propertyItem(id: "${d.id}") { id }`,
      ),
      `nv: vehicleByVin(vin: "${missing.vin}") { id }`,
      `nd: travelDocument(documentNumber: "${missing.doc}", issuingCountry: "FR") { id }`,
    ].join(' ')} }`;
    for (const [url, query] of [
      [persons.url, personQuery],
      [property.url, propertyQuery],
    ] as const) {
      const response = await askSubgraph(url, query);
      expect(response.errors).toBeUndefined();
    }

    const stored = await entries();
    // Ids, VINs and document numbers looked up (found or not), then every field of every row read.
    const identifiers = [
      ...personIds,
      ...Object.values(missing),
      ...vehicles.flatMap((v) => [v.id, v.vin]),
      ...documents.flatMap((d) => [d.id, d.document_number, `${d.issuing_country}/${d.document_number}`]),
    ];
    const texts = new Set(identifiers);
    for (const row of [
      ...(await rowsOf(persons, 'wanted_person', personIds)),
      ...(await rowsOf(
        property,
        'property_item',
        [...vehicles, ...documents].map((item) => item.id),
      )),
    ])
      textsOf(row, texts);
    // Shorter texts (a country code, a version number) occur by chance in any random-looking string.
    const telling = [...texts].filter((text) => text.length >= 6);
    expect(telling.length).toBeGreaterThan(50);
    expect(stored.size).toBeGreaterThanOrEqual(personIds.length + 1 + 2 * (vehicles.length + documents.length) + 2);
    for (const [key, value] of stored) {
      const name = key.slice(prefix.length);
      expect(
        telling.filter((text) => name.includes(text)),
        `key ${key}`,
      ).toEqual([]);
      expect(
        telling.filter((text) => value.includes(text)),
        `value of ${key}`,
      ).toEqual([]);
      // Not a JSON document with the short fields in it either: an opaque token.
      expect(value, `value of ${key}`).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('treats a tampered or moved entry as a miss and serves the right row', async () => {
    const [a, b] = (
      await persons.counted.db.query<{ id: string; family_name: string }>(
        `select id, family_name from wanted_person where release_mode = 'ALL_GRANTED' order by id desc limit 2`,
      )
    ).map((row) => ({ id: row.id, familyName: row.family_name }));
    const lookUp = async (id: string) => {
      const response = await askSubgraph(persons.url, 'query($id: ID!) { wantedPerson(id: $id) { id familyName } }', { id });
      expect(response.errors).toBeUndefined();
      return response.data!.wantedPerson;
    };
    /** Looks `id` up once and returns the one cache key that lookup added. */
    const keyOfLookup = async (id: string) => {
      const before = new Set((await entries()).keys());
      expect(await lookUp(id)).toEqual(id === a!.id ? a : b);
      const added = [...(await entries()).keys()].filter((key) => !before.has(key));
      expect(added).toHaveLength(1);
      return added[0]!;
    };
    const keyA = await keyOfLookup(a!.id);
    const keyB = await keyOfLookup(b!.id);
    const valueA = (await redis.get(keyA))!;

    // A's entry copied under B's key: B must still be B, read again from the database.
    await redis.set(keyB, valueA, 'KEEPTTL');
    persons.counted.reset();
    expect(await lookUp(b!.id)).toEqual(b);
    expect(persons.counted.count()).toBe(1);

    // One character of A's entry changed: a miss, the row read again, the entry replaced.
    const middle = valueA.length >> 1;
    await redis.set(keyA, `${valueA.slice(0, middle)}${valueA[middle] === 'A' ? 'B' : 'A'}${valueA.slice(middle + 1)}`, 'KEEPTTL');
    persons.counted.reset();
    expect(await lookUp(a!.id)).toEqual(a);
    expect(persons.counted.count()).toBe(1);
    persons.counted.reset();
    expect(await lookUp(a!.id)).toEqual(a);
    expect(persons.counted.count()).toBe(0);
  });
});
