import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph } from '../../test/support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { verifyChains } from '../kit/index.ts';
import {
  AMEND,
  caseInput,
  key,
  LINK_SUBJECT,
  OPEN,
  OTHER,
  OWNER,
  partner,
  STATUS,
  withFailingAudit,
  writesOf,
} from './case-write-fixtures.ts';
import { buildServer } from './server.ts';

describe.each(ENGINES)('case writes on %s', (engine) => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    // An in-process lookup cache, so a stale cached case after a write would show.
    subgraph = await startTestSubgraph(buildServer, engine, 'case_writes', { cache: {} });
  });
  afterAll(() => subgraph?.stop());

  const ask = (query: string, variables: Record<string, unknown>, caller: Caller = OWNER) =>
    askSubgraph(subgraph.url, query, variables, caller);
  const open = async (overrides: Record<string, unknown> = {}) => {
    const response = await ask(OPEN, { input: caseInput(overrides), key: key() });
    expect(response.errors).toBeUndefined();
    return response.data!.openCase;
  };
  const move = (c: string, v: number, status: string, reason = `Moved to ${status}`, caller: Caller = OWNER) =>
    ask(STATUS, { c, v, status, reason, key: key() }, caller);
  const read = async (caseNumber: string, caller: Caller = OWNER) =>
    (await ask(`{ case(caseNumber: "${caseNumber}") { caseNumber version status title } }`, {}, caller)).data!.case;
  const db = () => subgraph.counted.db;

  it('opens a case led and owned by the writing agency, at version 1, with its OPEN history entry and audit entry', async () => {
    const opened = await open();
    expect(opened).toMatchObject({
      caseNumber: expect.stringMatching(/^C9\d{8}$/),
      version: 1,
      status: 'OPEN',
      jurisdiction: 'FR-IDF',
      owningAgency: 'FRPN00001',
      leadAgency: 'FRPN00001',
    });
    expect(opened.releasability).toEqual({ mode: 'ALL_GRANTED', jurisdictions: [], agencies: [] });
    expect(opened.statusHistory).toEqual([{ status: 'OPEN', changedBy: 'FRPN00001', reason: 'Complaint registered' }]);
    expect(await writesOf(db(), opened.caseNumber)).toEqual([{ action: 'openCase', chain: 'FRPN00001' }]);
    expect(await read(opened.caseNumber, OTHER)).toMatchObject({ caseNumber: opened.caseNumber, title: 'Operation Testcase' });
    const withoutReason = await open({ reason: null });
    expect(withoutReason.statusHistory).toEqual([{ status: 'OPEN', changedBy: 'FRPN00001', reason: null }]);
  });

  it('changes status along the allowed moves, keeping every reason in the history, and reopens a closed case', async () => {
    const { caseNumber } = await open();
    await read(caseNumber); // cached at version 1: the writes below must drop it
    let version = 1;
    for (const status of ['UNDER_INVESTIGATION', 'CHARGED', 'CLOSED', 'UNDER_INVESTIGATION']) {
      const moved = await move(caseNumber, version, status);
      expect(moved.errors).toBeUndefined();
      version += 1;
      expect(moved.data!.changeCaseStatus).toMatchObject({ status, version });
      expect(await read(caseNumber)).toMatchObject({ status, version });
    }
    const history = (await ask(`{ case(caseNumber: "${caseNumber}") { statusHistory { status reason } } }`, {})).data!.case.statusHistory;
    expect(history).toEqual([
      { status: 'OPEN', reason: 'Complaint registered' },
      { status: 'UNDER_INVESTIGATION', reason: 'Moved to UNDER_INVESTIGATION' },
      { status: 'CHARGED', reason: 'Moved to CHARGED' },
      { status: 'CLOSED', reason: 'Moved to CLOSED' },
      { status: 'UNDER_INVESTIGATION', reason: 'Moved to UNDER_INVESTIGATION' },
    ]);
    expect((await writesOf(db(), caseNumber)).map((entry) => entry.action)).toEqual(['openCase', ...Array(4).fill('changeCaseStatus')]);
  });

  it('refuses moves the status rules do not allow with CONFLICT and the current status', async () => {
    const { caseNumber } = await open();
    const same = await move(caseNumber, 1, 'OPEN');
    expect(same.errors?.[0]).toMatchObject({
      message: expect.stringContaining('is OPEN and cannot move to OPEN'),
      extensions: { code: 'CONFLICT', currentStatus: 'OPEN', currentVersion: 1 },
    });
    expect((await move(caseNumber, 1, 'CLOSED')).errors).toBeUndefined();
    for (const status of ['CHARGED', 'AT_TRIAL', 'OPEN', 'CLOSED']) {
      expect((await move(caseNumber, 2, status)).errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        currentStatus: 'CLOSED',
        currentVersion: 2,
      });
    }
    expect(await read(caseNumber)).toMatchObject({ status: 'CLOSED', version: 2 });
  });

  it('amends title and releasability at the expected version; a narrowed case disappears for others', async () => {
    const { caseNumber } = await open();
    expect(await read(caseNumber, OTHER)).not.toBeNull();
    const amended = await ask(AMEND, {
      c: caseNumber,
      v: 1,
      input: { title: 'Operation Renamed', releasability: { mode: 'OWNER_ONLY' } },
      key: key(),
    });
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.amendCase).toMatchObject({
      version: 2,
      title: 'Operation Renamed',
      jurisdiction: 'FR-IDF',
      releasability: { mode: 'OWNER_ONLY' },
    });
    expect(await read(caseNumber, OTHER)).toBeNull();
    const outside = await ask(AMEND, { c: caseNumber, v: 2, input: { jurisdiction: 'JP' }, key: key() });
    expect(outside.errors?.[0]).toMatchObject({
      message: expect.stringContaining('do not cover jurisdiction JP'),
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('keeps notifyOwnerOnHit through amendments that omit it, and clears it when told', async () => {
    const flagOf = async (caseNumber: string) =>
      (await db().query<{ flag: boolean }>('select notify_owner_on_hit as flag from case_record where case_number = $1', [caseNumber]))[0]!
        .flag;
    const amend = (c: string, v: number, releasability: Record<string, unknown>) =>
      ask(AMEND, { c, v, input: { releasability }, key: key() });
    expect(await flagOf((await open()).caseNumber)).toBe(false);
    const { caseNumber } = await open({ releasability: { mode: 'ALL_GRANTED', notifyOwnerOnHit: true } });
    expect(await flagOf(caseNumber)).toBe(true);
    expect((await amend(caseNumber, 1, { mode: 'EXCEPT', jurisdictions: ['nl'] })).errors).toBeUndefined();
    expect(await flagOf(caseNumber)).toBe(true);
    expect((await amend(caseNumber, 2, { mode: 'EXCEPT', jurisdictions: ['nl'], notifyOwnerOnHit: false })).errors).toBeUndefined();
    expect(await flagOf(caseNumber)).toBe(false);
  });

  it('names every offending field and writes nothing', async () => {
    const count = () =>
      db().query('select (select count(*)::int from case_record) as cases, (select count(*)::int from case_status_change) as changes');
    const before = await count();
    const opened = await ask(OPEN, {
      input: { title: '  ', jurisdiction: 'ZZ', releasability: { mode: 'ONLY', agencies: ['short'] }, reason: 'x'.repeat(501) },
      key: key(),
    });
    expect(opened.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (opened.errors![0]!.extensions!.fields as { field: string; message: string }[]).map((f) => `${f.field}: ${f.message}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'input.title: must not be empty',
        expect.stringMatching(/^input\.jurisdiction: must be an ISO 3166 code/),
        expect.stringMatching(/^input\.releasability\.agencies\.0: must be a 9-character agency code/),
        'input.reason: must be at most 500 characters',
      ]),
    );
    const moved = await ask(STATUS, { c: 'X12', v: 0, status: 'CLOSED', reason: ' ', key: key() });
    expect((moved.errors![0]!.extensions!.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      'caseNumber',
      'expectedVersion',
      'reason',
    ]);
    const linked = await ask(LINK_SUBJECT, { c: 'C000000001', v: 1, id: 'V000000001', key: key() });
    expect(linked.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'personId', message: 'must be a wanted-person record id: W and nine digits, e.g. W000000042' },
    ]);
    const empty = await ask(AMEND, { c: 'C000000001', v: 1, input: {}, key: key() });
    expect(empty.errors?.[0]?.extensions?.fields).toEqual([{ field: 'input', message: 'must change at least one field' }]);
    expect(await count()).toEqual(before);
  });

  it('refuses a jurisdiction outside the grants, a non-owner, a hidden case, a missing scope and a missing purpose', async () => {
    const outside = await ask(OPEN, { input: caseInput({ jurisdiction: 'JP' }), key: key() });
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { caseNumber } = await open();
    const notOwner = await move(caseNumber, 1, 'CLOSED', 'not mine', OTHER);
    expect(notOwner.errors?.[0]).toMatchObject({
      message: `Only the owning agency FRPN00001 may change case ${caseNumber}`,
      extensions: { code: 'FORBIDDEN' },
    });
    const secret = await open({ releasability: { mode: 'OWNER_ONLY' } });
    const hidden = await move(secret.caseNumber, 1, 'CLOSED', 'probe', OTHER);
    const missing = await move('C999999999', 1, 'CLOSED', 'probe', OTHER);
    expect(hidden.errors?.[0]).toMatchObject({ message: `No case ${secret.caseNumber}`, extensions: { code: 'NOT_FOUND' } });
    expect(missing.errors?.[0]).toMatchObject({ message: 'No case C999999999', extensions: { code: 'NOT_FOUND' } });
    const readOnly = await move(caseNumber, 1, 'CLOSED', 'no scope', partner('FRPN00001', ['case:read']));
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const noPurpose = await move(caseNumber, 1, 'CLOSED', 'no purpose', { ...OWNER, purpose: null });
    expect(noPurpose.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    expect(await writesOf(db(), caseNumber)).toHaveLength(1);
    expect(await read(caseNumber)).toMatchObject({ status: 'OPEN', version: 1 });
  });

  it('runs a key retried 10 times at once exactly once, and refuses the key for another input', async () => {
    const idempotencyKey = key();
    const input = caseInput({ title: `Idempotent ${idempotencyKey}` });
    const responses = await Promise.all(Array.from({ length: 10 }, () => ask(OPEN, { input, key: idempotencyKey })));
    const numbers = new Set(responses.map((response) => response.data?.openCase?.caseNumber));
    expect(numbers.size).toBe(1);
    const caseNumber = [...numbers][0] as string;
    expect(await db().query('select case_number from case_record where title = $1', [input.title])).toEqual([{ case_number: caseNumber }]);
    expect(await writesOf(db(), caseNumber)).toHaveLength(1);
    const reused = await ask(OPEN, { input: caseInput({ title: 'Different' }), key: idempotencyKey });
    expect(reused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' } });

    const statusKey = key();
    const moves = await Promise.all(
      Array.from({ length: 10 }, () => ask(STATUS, { c: caseNumber, v: 1, status: 'CLOSED', reason: 'Done', key: statusKey })),
    );
    expect(moves.map((response) => response.data?.changeCaseStatus?.version)).toEqual(Array(10).fill(2));
    expect(await db().query('select count(*)::int as n from case_status_change where case_number = $1', [caseNumber])).toEqual([{ n: 2 }]);
    expect(await writesOf(db(), caseNumber)).toHaveLength(2);
  });

  it('lets one of two concurrent edits at the same version win; the other gets CONFLICT and the current version', async () => {
    const { caseNumber } = await open();
    const [a, b] = await Promise.all([
      move(caseNumber, 1, 'UNDER_INVESTIGATION'),
      ask(AMEND, { c: caseNumber, v: 1, input: { title: 'Beta' }, key: key() }),
    ]);
    const losers = [a, b].filter((response) => response.errors);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.errors![0]).toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
    expect(await db().query('select version from case_record where case_number = $1', [caseNumber])).toEqual([{ version: 2 }]);
  });

  it('leaves no status, history, audit entry or stale cache when the transaction fails midway; the retry succeeds', async () => {
    const { caseNumber } = await open();
    await read(caseNumber);
    const idempotencyKey = key();
    const variables = { c: caseNumber, v: 1, status: 'UNDER_INVESTIGATION', reason: 'Magistrate appointed', key: idempotencyKey };
    await withFailingAudit(db(), async () => {
      const failed = await ask(STATUS, variables);
      expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    });
    expect(await db().query('select status, version from case_record where case_number = $1', [caseNumber])).toEqual([
      { status: 'OPEN', version: 1 },
    ]);
    expect(await db().query('select count(*)::int as n from case_status_change where case_number = $1', [caseNumber])).toEqual([{ n: 1 }]);
    expect(await writesOf(db(), caseNumber)).toHaveLength(1);
    expect(await read(caseNumber)).toMatchObject({ status: 'OPEN', version: 1 });
    const retried = await ask(STATUS, variables);
    expect(retried.data!.changeCaseStatus).toMatchObject({ status: 'UNDER_INVESTIGATION', version: 2 });
    expect(await read(caseNumber)).toMatchObject({ status: 'UNDER_INVESTIGATION', version: 2 });
    expect((await verifyChains(db(), subgraph.auditKey)).filter((verdict) => verdict.broken !== null)).toEqual([]);
  });

  it("shows an auditor the trail of its own agency's cases only", async () => {
    const { caseNumber } = await open();
    await move(caseNumber, 1, 'CLOSED');
    const trail = `query ($id: ID!) { caseStatusAudit(filter: { recordId: $id, kind: WRITE }) { totalCount nodes { action partnerSubject purpose purposeReference recordIds sourceSubgraph } } }`;
    const own = await ask(trail, { id: caseNumber });
    expect(own.data!.caseStatusAudit).toEqual({
      totalCount: 2,
      nodes: ['changeCaseStatus', 'openCase'].map((action) => ({
        action,
        partnerSubject: 'writer-FRPN00001',
        purpose: 'INVESTIGATION',
        purposeReference: 'REF-42',
        recordIds: [caseNumber],
        sourceSubgraph: 'case-status',
      })),
    });
    expect((await ask(trail, { id: caseNumber }, OTHER)).data!.caseStatusAudit.totalCount).toBe(0);
    expect((await ask(trail, { id: caseNumber }, partner('FRPN00001', ['case:read']))).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHORIZED_FIELD_OR_TYPE',
    );
  });
});
