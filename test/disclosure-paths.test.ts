import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { graphql } from './support/graphql-client.ts';
import { startStack, type Stack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// Whatever a response tells a partner about a record, even only that it exists, is a disclosure in its
// owner's chain: answers that run no field of the record, totals, "there is a next page", a case's
// list of linked records, and a write refused because another record holds the same VIN.

interface StoredEntry {
  chain: string;
  kind: string;
  action: string | null;
  detail: string | null;
  record_ids: string[];
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

/** A partner of its own, so its entries are exactly what these requests disclosed. */
const partner = (claims: Partial<DevTokenClaims> = {}): Partial<DevTokenClaims> => ({ subject: `probe-${randomUUID()}`, ...claims });
const ask = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown> = {}) => {
  const response = await graphql(stack.gatewayUrl, query, variables, await bearer(claims, { code: 'INVESTIGATION', reference: 'T-1' }));
  return response;
};
const entriesOf = (subgraph: string, claims: Partial<DevTokenClaims>) =>
  stack.databases[subgraph]!.query<StoredEntry>(
    'select chain, kind, action, detail, record_ids from audit_entry where partner_subject = $1 order by seq',
    [claims.subject],
  );
const idsIn = (entries: StoredEntry[]) => new Set(entries.flatMap((entry) => entry.record_ids));
const ownerOf = async (subgraph: string, table: string, idColumn: string, id: string) =>
  (
    await stack.databases[subgraph]!.query<{ owner: string }>(`select owning_agency as owner from ${table} where ${idColumn} = $1`, [id])
  )[0]!.owner;

describe('every answer that tells a partner about a record is in its owner chain', () => {
  it('an existence check that selects no field of the record: __typename alone', async () => {
    const claims = partner();
    const response = await ask(claims, '{ wantedPerson(id: "W000000001") { __typename } }');
    expect(response.data).toEqual({ wantedPerson: { __typename: 'WantedPerson' } });
    const entries = await entriesOf('wanted-persons', claims);
    expect(entries).toEqual([
      expect.objectContaining({ chain: await ownerOf('wanted-persons', 'wanted_person', 'id', 'W000000001'), record_ids: ['W000000001'] }),
    ]);
  });

  it('a small total names each record it counted, the same records a page of them lists', async () => {
    const claims = partner();
    const counted = await ask(claims, '{ searchWantedPersons(name: "Smith") { totalCount } }');
    const total = counted.data!.searchWantedPersons.totalCount as number;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(100);
    const listed = await ask(partner(), '{ searchWantedPersons(name: "Smith", first: 100) { nodes { id } } }');
    const ids = new Set((listed.data!.searchWantedPersons.nodes as { id: string }[]).map((node) => node.id));
    expect(ids.size).toBe(total);
    expect(idsIn(await entriesOf('wanted-persons', claims))).toEqual(ids);
  });

  it('a large total is a COUNT entry per owner, naming the connection and adding up to the total', async () => {
    const claims = partner();
    const response = await ask(claims, '{ searchProperty(kind: VEHICLE, first: 1) { totalCount } }');
    expect(response.errors).toBeUndefined();
    const total = response.data!.searchProperty.totalCount as number;
    expect(total).toBeGreaterThan(100);
    const entries = await entriesOf('stolen-property', claims);
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) expect(entry).toMatchObject({ kind: 'DISCLOSURE', action: 'COUNT', record_ids: [] });
    const details = entries.map((entry) => JSON.parse(entry.detail!) as { of: string; count: number });
    expect(new Set(details.map((detail) => detail.of))).toEqual(new Set(['PropertyItemConnection']));
    expect(details.reduce((sum, detail) => sum + detail.count, 0)).toBe(total);
    expect(new Set(entries.map((entry) => entry.chain)).size).toBe(entries.length);
  });

  it('hasNextPage: true discloses the record beyond the page, and nothing else when no node is selected', async () => {
    const claims = partner();
    const response = await ask(claims, '{ wantedPersonsByNotice(noticeType: RED, first: 1) { pageInfo { hasNextPage } } }');
    expect(response.data!.wantedPersonsByNotice.pageInfo.hasNextPage).toBe(true);
    const firstTwo = await ask(partner(), '{ wantedPersonsByNotice(noticeType: RED, first: 2) { nodes { id } } }');
    const second = (firstTwo.data!.wantedPersonsByNotice.nodes as { id: string }[])[1]!.id;
    expect(idsIn(await entriesOf('wanted-persons', claims))).toEqual(new Set([second]));
  });

  it("a case's linked persons and items, listed by id only, are disclosed to their owners in case-status's trail", async () => {
    const [link] = await stack.databases['case-status']!.query<{ case_number: string; person_id: string; owner: string }>(
      `select s.case_number, s.person_id, s.owning_agency as owner from case_subject s join case_record c using (case_number)
       where s.release_mode = 'ALL_GRANTED' and c.release_mode = 'ALL_GRANTED' order by s.case_number limit 1`,
    );
    const claims = partner();
    const response = await ask(claims, 'query ($c: ID!) { case(caseNumber: $c) { subjects { nodes { id } } } }', { c: link!.case_number });
    expect(response.errors).toBeUndefined();
    expect(response.data!.case.subjects.nodes).toContainEqual({ id: link!.person_id });
    // The gateway never asked wanted-persons: the id came from case-status's link alone.
    expect(await entriesOf('wanted-persons', claims)).toEqual([]);
    const entries = await entriesOf('case-status', claims);
    expect(entries.find((entry) => entry.record_ids.includes(link!.person_id))?.chain).toBe(link!.owner);
    expect(link!.owner).toBe(await ownerOf('wanted-persons', 'wanted_person', 'id', link!.person_id));
  });

  it("a report refused because a hidden item holds the VIN is in that item's owner chain, for the owner's auditor to see", async () => {
    const writer = partner({ agency: 'FRPN00001', jurisdictions: ['FR'] });
    const [hidden] = await stack.databases['stolen-property']!.query<{ id: string; vin: string; owner: string }>(
      `select id, vin, owning_agency as owner from property_item
       where kind = 'VEHICLE' and release_mode = 'OWNER_ONLY' and owning_agency <> 'FRPN00001' order by id limit 1`,
    );
    const vehicle = {
      vin: hidden!.vin,
      plate: 'PROBE-1',
      registrationCountry: 'FR',
      make: 'Peugeot',
      model: '308',
      colour: 'grey',
      year: 2021,
    };
    const report = await ask(
      writer,
      'mutation ($input: ReportPropertyInput!, $key: String!) { reportPropertyStolen(input: $input, idempotencyKey: $key) { id } }',
      { input: { kind: 'VEHICLE', jurisdiction: 'FR-ARA', vehicle }, key: randomUUID() },
    );
    expect(report.errors?.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    expect(await entriesOf('stolen-property', writer)).toEqual([
      {
        chain: hidden!.owner,
        kind: 'DISCLOSURE',
        action: 'DUPLICATE_CHECK',
        detail: '{"field":"input.vehicle.vin"}',
        record_ids: [hidden!.id],
      },
    ]);

    const auditor = { subject: 'owner-auditor', agency: hidden!.owner, scopes: ['audit:read'] };
    const trail = await ask(
      auditor,
      'query ($id: ID!) { stolenPropertyAudit(filter: { recordId: $id }) { nodes { partnerSubject action } } }',
      {
        id: hidden!.id,
      },
    );
    expect(trail.data!.stolenPropertyAudit.nodes).toContainEqual({ partnerSubject: writer.subject, action: 'DUPLICATE_CHECK' });
  });
});
