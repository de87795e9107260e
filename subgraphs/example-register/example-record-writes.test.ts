import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph } from '../../test/support/identity.ts';
import { deleteKeys, uniquePrefix } from '../../test/support/redis-keys.ts';
import { testConfig } from '../../test/support/test-config.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { verifyChains } from '../kit/index.ts';
import { buildServer } from './server.ts';

const partner = (agency: string, jurisdictions: string[]): Caller => ({
  principal: {
    subject: `writer-${agency}`,
    agency,
    scopes: new Set(['example-register:read', 'example-register:write', 'wanted:read']),
    jurisdictions,
  },
  purpose: { code: 'OPERATIONS', reference: 'REF-7' },
});
const OWNER = partner('FRPN00001', ['FR']);
const OTHER = partner('DEBKA0001', ['FR', 'DE']);
const BYSTANDER = partner('ESPN00001', ['FR', 'ES']);

const FIELDS = 'id version label linkedPerson { id } jurisdiction owningAgency';
const REGISTER = `mutation ($input: RegisterExampleRecordInput!, $key: String!) { registerExampleRecord(input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const AMEND = `mutation ($id: ID!, $v: Int!, $input: AmendExampleRecordInput!, $key: String!) { amendExampleRecord(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const LOOKUP = 'query ($id: ID!) { exampleRecord(id: $id) { id version label } }';
const GRANT = `mutation ($id: ID!, $agency: String!, $seconds: Int!, $key: String!) { grantExampleRecordRelease(id: $id, agency: $agency, forSeconds: $seconds, idempotencyKey: $key) { id version } }`;
const READ = 'query ($id: ID!) { exampleRecord(id: $id) { id releasedInFull label linkedPerson { id } } }';
const key = () => randomUUID();

describe.each(ENGINES)('example-record writes on %s', (engine) => {
  // A real Redis lookup cache, so a write that left a stale copy or a stale "not found" behind would show.
  const prefix = uniquePrefix();
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'example_record_writes', {
      cache: { redisUrl: testConfig.TEST_REDIS_URL, prefix },
    });
  });
  afterAll(async () => {
    await subgraph?.stop();
    await deleteKeys(prefix);
  });

  const ask = (query: string, variables: Record<string, unknown>, caller: Caller = OWNER) =>
    askSubgraph(subgraph.url, query, variables, caller);
  const register = async (input: Record<string, unknown> = { label: 'Registered', jurisdiction: 'fr-ara' }) => {
    const response = await ask(REGISTER, { input, key: key() });
    expect(response.errors).toBeUndefined();
    return response.data!.registerExampleRecord;
  };
  const writesOf = (id: string) =>
    subgraph.counted.db.query<{ action: string }>(
      `select action from audit_entry where kind = 'WRITE' and $1 = any(record_ids) order by seq`,
      [id],
    );

  it('registers a record owned by the writer, at version 1, audited, and found by a lookup that had cached "not found"', async () => {
    expect((await ask(LOOKUP, { id: 'E900000001' })).data).toEqual({ exampleRecord: null });
    const record = await register({ label: '  Registered  ', linkedPersonId: 'w000000003', jurisdiction: 'fr-ara' });
    expect(record).toEqual({
      id: 'E900000001',
      version: 1,
      label: 'Registered',
      linkedPerson: { id: 'W000000003' },
      jurisdiction: 'FR-ARA',
      owningAgency: 'FRPN00001',
    });
    expect((await ask(LOOKUP, { id: record.id })).data).toEqual({ exampleRecord: { id: record.id, version: 1, label: 'Registered' } });
    expect(await writesOf(record.id)).toEqual([{ action: 'registerExampleRecord' }]);
  });

  it('amends at the version last read, and the cached copy gives way at once', async () => {
    const record = await register();
    await ask(LOOKUP, { id: record.id });
    const amended = await ask(AMEND, { id: record.id, v: 1, input: { label: 'Amended' }, key: key() });
    expect(amended.data!.amendExampleRecord).toMatchObject({ version: 2, label: 'Amended' });
    expect((await ask(LOOKUP, { id: record.id })).data!.exampleRecord).toEqual({ id: record.id, version: 2, label: 'Amended' });
    const stale = await ask(AMEND, { id: record.id, v: 1, input: { label: 'Stale' }, key: key() });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(await writesOf(record.id)).toEqual([{ action: 'registerExampleRecord' }, { action: 'amendExampleRecord' }]);
  });

  it('runs a retried key once and refuses the key for another input', async () => {
    const variables = { input: { label: 'Once', jurisdiction: 'FR' }, key: key() };
    const [first, second] = await Promise.all([ask(REGISTER, variables), ask(REGISTER, variables)]);
    expect(second.data!.registerExampleRecord).toEqual(first.data!.registerExampleRecord);
    expect(await writesOf(first.data!.registerExampleRecord.id)).toHaveLength(1);
    const reused = await ask(REGISTER, { ...variables, input: { label: 'Other', jurisdiction: 'FR' } });
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
  });

  it('lets only the owning agency change a record, only where its grants reach', async () => {
    const record = await register();
    const other = await ask(AMEND, { id: record.id, v: 1, input: { label: 'Not mine' }, key: key() }, OTHER);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const abroad = await ask(REGISTER, { input: { label: 'Abroad', jurisdiction: 'DE' }, key: key() });
    expect(abroad.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses bad input field by field before any SQL, and a write without a declared purpose', async () => {
    const before = subgraph.counted.count();
    const bad = await ask(REGISTER, { input: { label: ' ', linkedPersonId: 'W12345', jurisdiction: 'France' }, key: key() });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((bad.errors![0]!.extensions!.fields as { field: string }[]).map((issue) => issue.field).sort()).toEqual([
      'input.jurisdiction',
      'input.label',
      'input.linkedPersonId',
    ]);
    expect(subgraph.counted.count()).toBe(before);
    const noPurpose = await ask(REGISTER, { input: { label: 'Why', jurisdiction: 'FR' }, key: key() }, { ...OWNER, purpose: null });
    expect(noPurpose.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
  });

  it('releases a REFERENCE_ONLY record in full to the granted agency alone, replacing the copy it had cached', async () => {
    const record = await register({
      label: 'Held back',
      linkedPersonId: 'W000000003',
      jurisdiction: 'FR',
      releasability: { mode: 'REFERENCE_ONLY' },
    });
    const reference = { exampleRecord: { id: record.id, releasedInFull: false, label: null, linkedPerson: null } };
    const before = await ask(READ, { id: record.id }, OTHER);
    expect(before.data).toEqual(reference);
    expect(before.errors?.[0]?.extensions?.code).toBe('NOT_RELEASED');
    const granted = await ask(GRANT, { id: record.id, agency: 'DEBKA0001', seconds: 60, key: key() });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantExampleRecordRelease).toEqual({ id: record.id, version: 2 });
    const released = await ask(READ, { id: record.id }, OTHER);
    expect(released.errors).toBeUndefined();
    expect(released.data).toEqual({
      exampleRecord: { id: record.id, releasedInFull: true, label: 'Held back', linkedPerson: { id: 'W000000003' } },
    });
    expect((await ask(READ, { id: record.id }, BYSTANDER)).data).toEqual(reference);
    expect(await writesOf(record.id)).toEqual([{ action: 'registerExampleRecord' }, { action: 'grantExampleRecordRelease' }]);
  });

  it('refuses a grant of a record released otherwise, by a non-owner, to the owner, or for too short or long', async () => {
    const inFull = await register();
    const notReference = await ask(GRANT, { id: inFull.id, agency: 'DEBKA0001', seconds: 60, key: key() });
    expect(notReference.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(notReference.errors![0]!.message).toContain('not REFERENCE_ONLY');
    const record = await register({ label: 'Held back', jurisdiction: 'FR', releasability: { mode: 'REFERENCE_ONLY' } });
    const other = await ask(GRANT, { id: record.id, agency: 'DEBKA0001', seconds: 60, key: key() }, OTHER);
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await ask(GRANT, { id: record.id, agency: 'FRPN00001', seconds: 60, key: key() });
    expect(own.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agency' });
    const queries = subgraph.counted.count();
    for (const seconds of [0, 172_801]) {
      const out = await ask(GRANT, { id: record.id, agency: 'DEBKA0001', seconds, key: key() });
      expect(out.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'forSeconds' }] });
    }
    expect(subgraph.counted.count()).toBe(queries);
    expect(await writesOf(record.id)).toEqual([{ action: 'registerExampleRecord' }]);
  });

  it('keeps every audit chain intact', async () => {
    expect((await verifyChains(subgraph.counted.db, subgraph.auditKey)).filter((verdict) => verdict.broken !== null)).toEqual([]);
  });
});
