import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph, FULL_ACCESS } from '../../test/support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { buildServer } from './server.ts';

const READER: Caller = {
  ...FULL_ACCESS,
  principal: { ...FULL_ACCESS.principal!, scopes: new Set(['example-register:read', 'wanted:read']) },
};

describe.each(ENGINES)('example-register on %s', (engine) => {
  let subgraph: TestSubgraph;
  const ask = (query: string, caller: Caller = READER) => askSubgraph(subgraph.url, query, {}, caller);
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'example_record');
  });
  afterAll(() => subgraph?.stop());

  it('looks a showcase record up by id, however it is cased, with its linked person and provenance', async () => {
    const response = await ask('{ exampleRecord(id: " e000000001 ") { id version linkedPerson { id } provenance { sourceSubgraph } } }');
    expect(response.data).toEqual({
      exampleRecord: {
        id: 'E000000001',
        version: 1,
        linkedPerson: { id: 'W000000001' },
        provenance: { sourceSubgraph: 'example-register' },
      },
    });
  });

  it('refuses an id of the wrong shape before any lookup, and answers null for one of no record', async () => {
    const wrong = await ask('{ exampleRecord(id: "E12345") { id } }');
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await ask('{ exampleRecord(id: "E999999999") { id } }')).data).toEqual({ exampleRecord: null });
  });

  it('pages through the list without overlap and counts it', async () => {
    const first = await ask('{ exampleRecords(first: 10) { totalCount pageInfo { endCursor hasNextPage } nodes { id } } }');
    const page = first.data!.exampleRecords;
    const next = await ask(`{ exampleRecords(first: 10, after: "${page.pageInfo.endCursor}") { nodes { id } } }`);
    const ids = [...page.nodes, ...next.data!.exampleRecords.nodes].map((node: { id: string }) => node.id);
    expect(page.totalCount).toBeGreaterThan(10);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(new Set(ids).size).toBe(20);
  });

  it("records each lookup in the owning agency's audit trail, which that agency's auditor reads", async () => {
    const [record] = await subgraph.counted.db.query<{ owning_agency: string }>(
      "select owning_agency from example_record where id = 'E000000002'",
    );
    await ask('{ exampleRecord(id: "E000000002") { id label } }');
    const auditor: Caller = {
      principal: { subject: 'auditor', agency: record!.owning_agency, scopes: new Set(['audit:read']), jurisdictions: [] },
      purpose: { code: 'AUDIT', reference: null },
    };
    const trail = await ask('{ exampleRegisterAudit(filter: { recordId: "E000000002" }) { nodes { partnerSubject recordIds } } }', auditor);
    expect(trail.data!.exampleRegisterAudit.nodes[0]).toEqual({ partnerSubject: READER.principal!.subject, recordIds: ['E000000002'] });
  });

  it('shows nothing to a caller without the read scope, and nothing to an anonymous one', async () => {
    const noScope = await ask('{ exampleRecord(id: "E000000001") { id } }', {
      ...READER,
      principal: { ...READER.principal!, scopes: new Set() },
    });
    expect(noScope.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const anonymous = await ask('{ exampleRecords { totalCount } }', { principal: null, purpose: null });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  });
});
