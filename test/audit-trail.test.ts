import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../lib/authz/scopes.ts';
import { graphql } from './support/graphql-client.ts';
import { startStack, type Stack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

interface StoredEntry {
  chain: string;
  kind: string;
  request_id: string | null;
  partner_request_id: string | null;
  purpose_code: string | null;
  purpose_reference: string | null;
  operation_name: string | null;
  operation_hash: string | null;
  record_ids: string[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('audit trail of disclosures, across the federation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite');
  });
  afterAll(() => stack?.close());

  const entriesOf = async (subject: string) =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(stack.databases).map(
          async ([name, db]) =>
            [name, await db.query<StoredEntry>('select * from audit_entry where partner_subject = $1 order by seq', [subject])] as const,
        ),
      ),
    );
  const loggedIds = (entries: StoredEntry[]) => new Set(entries.flatMap((entry) => entry.record_ids));
  const ownersOf = async (subgraph: string, table: string, idColumn: string, ids: string[]) =>
    new Map(
      (
        await stack.databases[subgraph]!.query<{ id: string; owner: string }>(
          `select ${idColumn} as id, owning_agency as owner from ${table} where ${idColumn} = any($1::text[])`,
          [ids],
        )
      ).map((row) => [row.id, row.owner]),
    );

  it('records every record a response disclosed, in its owner chain, with the purpose, operation and request', async () => {
    const subject = `consultant-${randomUUID()}`;
    const query = `query Consult { cases(first: 15) { nodes { caseNumber subjects(first: 5) { nodes { id familyName } } relatedProperty(first: 5) { nodes { id description } } } } }`;
    const headers = await bearer({ subject, agency: 'NLKLPD001' }, { code: 'INVESTIGATION', reference: 'NL-2026-77' });
    const response = await graphql(stack.gatewayUrl, query, {}, headers);
    expect(response.errors).toBeUndefined();
    const cases = response.data!.cases.nodes as {
      caseNumber: string;
      subjects: { nodes: { id: string }[] };
      relatedProperty: { nodes: { id: string }[] };
    }[];
    const persons = cases.flatMap((c) => c.subjects.nodes.map((p) => p.id));
    const items = cases.flatMap((c) => c.relatedProperty.nodes.map((p) => p.id));
    // case-status names the linked records too, as the case's subjects and property: its trail records
    // that disclosure in their owners' chains, beside the owning subgraphs' own entries.
    const disclosed = {
      'case-status': new Set([...cases.map((c) => c.caseNumber), ...persons, ...items]),
      'wanted-persons': new Set(persons),
      'stolen-property': new Set(items),
    };
    expect(disclosed['wanted-persons'].size).toBeGreaterThan(0);
    expect(disclosed['stolen-property'].size).toBeGreaterThan(0);

    const entries = await entriesOf(subject);
    for (const [subgraph, ids] of Object.entries(disclosed)) expect(loggedIds(entries[subgraph]!)).toEqual(ids);
    const all = Object.values(entries).flat();
    expect(new Set(all.map((entry) => entry.request_id)).size).toBe(1);
    expect(all[0]!.request_id).toBeTruthy();
    for (const entry of all) {
      expect(entry).toMatchObject({
        kind: 'DISCLOSURE',
        purpose_code: 'INVESTIGATION',
        purpose_reference: 'NL-2026-77',
        operation_name: 'Consult',
        operation_hash: sha256(query),
      });
    }
    const owners = await ownersOf('wanted-persons', 'wanted_person', 'id', [...disclosed['wanted-persons']]);
    for (const entry of entries['wanted-persons']!) for (const id of entry.record_ids) expect(owners.get(id)).toBe(entry.chain);
    const linked = entries['case-status']!.flatMap((entry) =>
      entry.record_ids.filter((id) => owners.has(id)).map((id) => [id, entry.chain] as const),
    );
    expect(linked.length).toBe(disclosed['wanted-persons'].size);
    for (const [id, chain] of linked) expect(owners.get(id)).toBe(chain);
  });

  it('logs nothing the partner did not receive: hidden records and refused lookups leave no disclosure', async () => {
    const subject = `narrow-${randomUUID()}`;
    const headers = await bearer({ subject, agency: 'DEBKA0001', jurisdictions: ['DE-BY'] });
    const [hidden] = await stack.databases['wanted-persons']!.query<{ id: string }>(
      `select id from wanted_person where release_mode = 'OWNER_ONLY' and owning_agency <> 'DEBKA0001' limit 1`,
    );
    const lookup = await graphql(stack.gatewayUrl, `{ wantedPerson(id: "${hidden!.id}") { id familyName } }`, {}, headers);
    expect(lookup.data).toEqual({ wantedPerson: null });
    const list = await graphql(
      stack.gatewayUrl,
      '{ wantedPersonsByNotice(noticeType: RED, first: 100) { nodes { id noticeType } } }',
      {},
      headers,
    );
    const received = new Set((list.data!.wantedPersonsByNotice.nodes as { id: string }[]).map((node) => node.id));
    const entries = await entriesOf(subject);
    expect(loggedIds(entries['wanted-persons']!)).toEqual(received);
    expect(loggedIds(entries['wanted-persons']!).has(hidden!.id)).toBe(false);
  });

  it("answers a data subject's question, who consulted the record and why, to its owner's auditor only", async () => {
    const [record] = await stack.databases['wanted-persons']!.query<{ id: string; owner: string }>(
      `select id, owning_agency as owner from wanted_person where release_mode = 'ALL_GRANTED' order by id limit 1`,
    );
    const consult = (subject: string, purpose: string, reference: string) =>
      bearer({ subject, agency: 'ESPN00001' }, { code: purpose, reference }).then((headers) =>
        graphql(stack.gatewayUrl, `query Check { wantedPerson(id: "${record!.id}") { id familyName } }`, {}, headers),
      );
    const first = `border-${randomUUID()}`;
    const second = `court-${randomUUID()}`;
    await consult(first, 'BORDER_CHECK', 'ES-BORDER-1');
    await consult(second, 'COURT_PROCEEDINGS', 'ES-COURT-9');

    const trail = `query Trail($filter: AuditTrailFilter, $first: Int, $after: String) {
      wantedPersonsAudit(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { kind owningAgency sourceSubgraph partnerSubject partnerAgency purpose purposeReference operationName recordIds hash previousHash }
      } }`;
    const auditor = await bearer(
      { subject: 'auditor', agency: record!.owner, scopes: ['audit:read'] },
      { code: 'AUDIT', reference: 'DSAR-1' },
    );
    const since = new Date(Date.now() - 60_000).toISOString();
    const both = await graphql(
      stack.gatewayUrl,
      trail,
      { filter: { recordId: record!.id, partnerAgency: 'ESPN00001', from: since } },
      auditor,
    );
    expect(both.errors).toBeUndefined();
    const nodes = both.data!.wantedPersonsAudit.nodes as Record<string, unknown>[];
    expect(nodes.map((node) => [node.partnerSubject, node.purpose, node.purposeReference])).toEqual([
      [second, 'COURT_PROCEEDINGS', 'ES-COURT-9'],
      [first, 'BORDER_CHECK', 'ES-BORDER-1'],
    ]);
    expect(nodes[0]).toMatchObject({
      kind: 'DISCLOSURE',
      owningAgency: record!.owner,
      sourceSubgraph: 'wanted-persons',
      operationName: 'Check',
      recordIds: [record!.id],
    });

    const page1 = await graphql(
      stack.gatewayUrl,
      trail,
      { filter: { recordId: record!.id, partnerAgency: 'ESPN00001' }, first: 1 },
      auditor,
    );
    expect(page1.data!.wantedPersonsAudit).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true } });
    const page2 = await graphql(
      stack.gatewayUrl,
      trail,
      { filter: { recordId: record!.id, partnerAgency: 'ESPN00001' }, first: 1, after: page1.data!.wantedPersonsAudit.pageInfo.endCursor },
      auditor,
    );
    expect(page2.data!.wantedPersonsAudit.nodes[0].partnerSubject).toBe(first);
    const byPurpose = await graphql(
      stack.gatewayUrl,
      trail,
      { filter: { recordId: record!.id, purpose: 'BORDER_CHECK', partnerSubject: first } },
      auditor,
    );
    expect(byPurpose.data!.wantedPersonsAudit.totalCount).toBe(1);

    const otherAuditor = await bearer(
      { subject: 'auditor-2', agency: record!.owner === 'FRPN00001' ? 'DEBKA0001' : 'FRPN00001', scopes: ['audit:read'] },
      { code: 'AUDIT' },
    );
    const foreign = await graphql(stack.gatewayUrl, trail, { filter: { recordId: record!.id } }, otherAuditor);
    expect(foreign.data!.wantedPersonsAudit.totalCount).toBe(0);
    const notAnAuditor = await graphql(
      stack.gatewayUrl,
      trail,
      { filter: { recordId: record!.id } },
      await bearer({ scopes: ['wanted:read'] }),
    );
    expect(notAnAuditor.data!.wantedPersonsAudit).toBeNull();
    expect(notAnAuditor.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const badFilter = await graphql(stack.gatewayUrl, trail, { filter: { from: 'yesterday', partnerAgency: 'nope' } }, auditor);
    expect(badFilter.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'filter.partnerAgency', message: 'must be a 9-character agency code' },
      { field: 'filter.from', message: 'must be an ISO 8601 date or timestamp' },
    ]);
  });

  it('refuses personal fields and writes without a declared purpose, and logs nothing for them', async () => {
    const subject = `no-purpose-${randomUUID()}`;
    const headers = await bearer({ subject }, null);
    const personal = await graphql(
      stack.gatewayUrl,
      '{ wantedPerson(id: "W000000001") { id familyName warrant { charges } } }',
      {},
      headers,
    );
    expect(personal.data ?? null).toBeNull();
    expect(personal.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('personal data needs a declared purpose. Send the liaison-purpose header'),
        extensions: { code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED', fields: ['WantedPerson.familyName', 'WantedPerson.warrant'] },
      }),
    ]);
    const write = await graphql(
      stack.gatewayUrl,
      'mutation { cancelWantedNotice(id: "W000000001", expectedVersion: 1, reason: "x", idempotencyKey: "no-purpose-1") { id } }',
      {},
      headers,
    );
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' });
    const routine = await graphql(stack.gatewayUrl, '{ wantedPerson(id: "W000000001") { id noticeType } }', {}, headers);
    expect(routine).toMatchObject({ data: { wantedPerson: { id: 'W000000001' } } });
    const entries = await entriesOf(subject);
    expect(entries['wanted-persons']!.map((entry) => [entry.record_ids, entry.purpose_code])).toEqual([[['W000000001'], null]]);
  });

  it("files each request under the gateway's own id, with the partner's x-request-id beside it, so two partners' ids never merge", async () => {
    const [first, second, sloppy] = [`partner-a-${randomUUID()}`, `partner-b-${randomUUID()}`, `partner-c-${randomUUID()}`];
    const consult = async (subject: string, agency: string, requestId: string) => {
      const headers = {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(await bearer({ subject, agency }, { code: 'INVESTIGATION' })),
      };
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: '{ wantedPerson(id: "W000000001") { id familyName } }' }),
      });
      expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
      return response.headers.get('x-request-id');
    };
    // The partner keeps tracing by its own id: it is what the response says.
    expect(await consult(first, 'FRPN00001', 'trace-0001')).toBe('trace-0001');
    expect(await consult(second, 'DEBKA0001', 'trace-0001')).toBe('trace-0001');
    await consult(sloppy, 'ESPN00001', 'has spaces; and "quotes"');

    const [a, b, c] = await Promise.all([first, second, sloppy].map(async (subject) => (await entriesOf(subject))['wanted-persons']!));
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a![0]!.request_id).toMatch(UUID);
    expect(b![0]!.request_id).toMatch(UUID);
    expect(a![0]!.request_id).not.toBe(b![0]!.request_id);
    expect([a![0]!.partner_request_id, b![0]!.partner_request_id]).toEqual(['trace-0001', 'trace-0001']);
    expect(c![0]).toMatchObject({ request_id: expect.stringMatching(UUID), partner_request_id: null });

    const owner = (await ownersOf('wanted-persons', 'wanted_person', 'id', ['W000000001'])).get('W000000001')!;
    const auditor = await bearer({ subject: 'auditor', agency: owner, scopes: ['audit:read'] }, { code: 'AUDIT' });
    const trail = await graphql(
      stack.gatewayUrl,
      'query($s: String) { wantedPersonsAudit(filter: { partnerSubject: $s }) { nodes { requestId partnerRequestId } } }',
      { s: first },
      auditor,
    );
    expect(trail.data!.wantedPersonsAudit.nodes).toEqual([{ requestId: a![0]!.request_id, partnerRequestId: 'trace-0001' }]);
  });

  it('records the hash of the document the partner sent, also when the gateway withheld fields from it', async () => {
    const subject = `withheld-${randomUUID()}`;
    const query = 'query Withheld { wantedPerson(id: "W000000001") { id noticeType familyName } }';
    const response = await graphql(stack.gatewayUrl, query, {}, await bearer({ subject, scopes: ['wanted:read'] }));
    expect(response.data).toEqual({ wantedPerson: { id: 'W000000001', noticeType: expect.any(String), familyName: null } });
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const entries = (await entriesOf(subject))['wanted-persons']!;
    expect(entries.map((entry) => [entry.operation_name, entry.operation_hash])).toEqual([['Withheld', sha256(query)]]);
  });

  it('withholds a disclosure the audit trail cannot record', async () => {
    const db = stack.databases['wanted-persons']!;
    const [person] = await db.query<{ family_name: string }>(`select family_name from wanted_person where id = 'W000000002'`);
    await db.exec(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'audit store down'; end $$;
      create trigger refuse_audit before insert on audit_entry for each row execute function refuse_audit();`);
    try {
      const response = await graphql(
        stack.gatewayUrl,
        '{ wantedPerson(id: "W000000002") { id familyName } }',
        {},
        await bearer({ scopes: ALL_SCOPES }),
      );
      expect(JSON.stringify(response)).not.toContain(person!.family_name);
      expect(response.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db.exec('drop trigger refuse_audit on audit_entry; drop function refuse_audit();');
    }
  });
});
