import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph } from '../../test/support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { verifyChains } from '../kit/index.ts';
import { buildServer } from './server.ts';

const partner = (agency: string, jurisdictions: string[], scopes: readonly string[] = ALL_SCOPES): Caller => ({
  principal: { subject: `writer-${agency}`, agency, scopes: new Set(scopes), jurisdictions },
  purpose: { code: 'OPERATIONS', reference: 'REF-7' },
});
const OWNER = partner('FRPN00001', ['FR']);
const OTHER = partner('DEBKA0001', ['FR', 'DE']);

const FIELDS =
  'id version status familyName givenNames jurisdiction owningAgency statusNote locatedOn releasability { mode jurisdictions agencies } lastVerifiedOn';
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) { amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
const CANCEL = `mutation Cancel($id: ID!, $v: Int!, $reason: String!, $key: String!) { cancelWantedNotice(id: $id, expectedVersion: $v, reason: $reason, idempotencyKey: $key) { ${FIELDS} } }`;
const LOCATE = `mutation Locate($id: ID!, $v: Int!, $on: String!, $place: String, $key: String!) { markPersonLocated(id: $id, expectedVersion: $v, locatedOn: $on, place: $place, idempotencyKey: $key) { ${FIELDS} } }`;

const notice = (overrides: Record<string, unknown> = {}) => ({
  familyName: 'Testard',
  givenNames: 'Rémi',
  dateOfBirth: '1980-04-02',
  nationality: 'fr',
  sex: 'MALE',
  noticeType: 'RED',
  warrant: { issuingCourt: 'Tribunal judiciaire de Lyon', issuedOn: '2026-01-15', charges: ['fraud'] },
  jurisdiction: 'fr-ara',
  ...overrides,
});
const key = () => randomUUID();

describe.each(ENGINES)('wanted-person writes on %s', (engine) => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'wanted_writes');
  });
  afterAll(() => subgraph?.stop());

  const ask = (query: string, variables: Record<string, unknown>, caller: Caller = OWNER) =>
    askSubgraph(subgraph.url, query, variables, caller);
  const issue = async (overrides: Record<string, unknown> = {}, caller: Caller = OWNER) => {
    const response = await ask(ISSUE, { input: notice(overrides), key: key() }, caller);
    expect(response.errors).toBeUndefined();
    return response.data!.issueWantedNotice;
  };
  const writesOf = (id: string) =>
    subgraph.counted.db.query<{ action: string; chain: string }>(
      `select action, chain from audit_entry where kind = 'WRITE' and $1 = any(record_ids) order by seq`,
      [id],
    );

  it('issues a notice owned by the writing agency, normalised, at version 1, with its audit entry', async () => {
    const person = await issue();
    expect(person).toMatchObject({
      id: expect.stringMatching(/^W9\d{8}$/),
      version: 1,
      status: 'ACTIVE',
      jurisdiction: 'FR-ARA',
      owningAgency: 'FRPN00001',
      releasability: { mode: 'ALL_GRANTED' },
    });
    expect(person.lastVerifiedOn).toBe(new Date().toISOString().slice(0, 10));
    expect(await writesOf(person.id)).toEqual([{ action: 'issueWantedNotice', chain: 'FRPN00001' }]);
    const found = await ask(`{ wantedPerson(id: "${person.id}") { id familyName } }`, {}, OTHER);
    expect(found.data!.wantedPerson).toEqual({ id: person.id, familyName: 'Testard' });
  });

  it('amends fields and releasability at the expected version, bumping it', async () => {
    const person = await issue();
    const amended = await ask(AMEND, {
      id: person.id,
      v: 1,
      input: { givenNames: 'Rémy', releasability: { mode: 'ONLY', agencies: ['nlklpd001'] } },
      key: key(),
    });
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.amendWantedNotice).toMatchObject({
      version: 2,
      givenNames: 'Rémy',
      familyName: 'Testard',
      releasability: { mode: 'ONLY', jurisdictions: [], agencies: ['NLKLPD001'] },
    });
    const hidden = await ask(`{ wantedPerson(id: "${person.id}") { id } }`, {}, OTHER);
    expect(hidden.data!.wantedPerson).toBeNull();
    expect((await writesOf(person.id)).map((entry) => entry.action)).toEqual(['issueWantedNotice', 'amendWantedNotice']);
  });

  it('keeps notifyOwnerOnHit through amendments that omit it, and clears it when told', async () => {
    const flag = `id version releasability { mode notifyOwnerOnHit }`;
    const amend = (id: string, v: number, releasability: Record<string, unknown>) =>
      ask(AMEND.replace(`{ ${FIELDS} }`, `{ ${flag} }`), { id, v, input: { releasability }, key: key() });
    const unflagged = await ask(`{ wantedPerson(id: "${(await issue()).id}") { releasability { notifyOwnerOnHit } } }`, {});
    expect(unflagged.data!.wantedPerson.releasability).toEqual({ notifyOwnerOnHit: false });
    const person = await issue({ releasability: { mode: 'ALL_GRANTED', notifyOwnerOnHit: true } });
    const kept = await amend(person.id, 1, { mode: 'EXCEPT', jurisdictions: ['nl'] });
    expect(kept.data!.amendWantedNotice).toEqual({ id: person.id, version: 2, releasability: { mode: 'EXCEPT', notifyOwnerOnHit: true } });
    const cleared = await amend(person.id, 2, { mode: 'EXCEPT', jurisdictions: ['nl'], notifyOwnerOnHit: false });
    expect(cleared.data!.amendWantedNotice.releasability).toEqual({ mode: 'EXCEPT', notifyOwnerOnHit: false });
  });

  it('cancels and locates ACTIVE notices only, keeping the reason or place', async () => {
    const cancelled = await ask(CANCEL, { id: (await issue()).id, v: 1, reason: 'Warrant withdrawn by the court', key: key() });
    expect(cancelled.data!.cancelWantedNotice).toMatchObject({
      status: 'CANCELLED',
      version: 2,
      statusNote: 'Warrant withdrawn by the court',
    });
    const located = await ask(LOCATE, { id: (await issue()).id, v: 1, on: '2026-03-01', place: 'Lyon Part-Dieu', key: key() });
    expect(located.data!.markPersonLocated).toMatchObject({
      status: 'LOCATED',
      version: 2,
      locatedOn: '2026-03-01',
      statusNote: 'Lyon Part-Dieu',
    });
    const again = await ask(CANCEL, { id: located.data!.markPersonLocated.id, v: 2, reason: 'too late', key: key() });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', currentStatus: 'LOCATED' } });
  });

  it('names every offending field and writes nothing', async () => {
    const before = await subgraph.counted.db.query<{ n: number }>('select count(*)::int as n from wanted_person');
    const future = new Date(Date.now() + 86_400_000 * 3).toISOString().slice(0, 10);
    const response = await ask(ISSUE, {
      input: notice({
        nationality: 'XX',
        dateOfBirth: future,
        jurisdiction: 'ZZ-1',
        familyName: '  ',
        warrant: { issuingCourt: 'X', issuedOn: '2026-02-30', charges: [] },
      }),
      key: key(),
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (response.errors![0]!.extensions!.fields as { field: string; message: string }[]).map((f) => `${f.field}: ${f.message}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^input\.nationality: must be an assigned ISO 3166-1/),
        'input.dateOfBirth: must not be in the future',
        expect.stringMatching(/^input\.jurisdiction: must be an ISO 3166 code/),
        'input.familyName: must not be empty',
        'input.warrant.issuedOn: must be a date as YYYY-MM-DD',
        'input.warrant.charges: must list at least one charge',
      ]),
    );
    expect(await subgraph.counted.db.query('select count(*)::int as n from wanted_person')).toEqual(before);
  });

  it('refuses a jurisdiction outside the grants, a non-owner, a hidden record and a missing scope', async () => {
    const outside = await ask(ISSUE, { input: notice({ jurisdiction: 'DE-BY' }), key: key() });
    expect(outside.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const person = await issue();
    const notOwner = await ask(CANCEL, { id: person.id, v: 1, reason: 'not mine', key: key() }, OTHER);
    expect(notOwner.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Only the owning agency FRPN00001'),
      extensions: { code: 'FORBIDDEN' },
    });
    const secret = await issue({ releasability: { mode: 'OWNER_ONLY' } });
    const hidden = await ask(CANCEL, { id: secret.id, v: 1, reason: 'probe', key: key() }, OTHER);
    expect(hidden.errors?.[0]).toMatchObject({ message: `No wanted-person record ${secret.id}`, extensions: { code: 'NOT_FOUND' } });
    const readOnly = await ask(
      CANCEL,
      { id: person.id, v: 1, reason: 'no scope', key: key() },
      partner('FRPN00001', ['FR'], ['wanted:read']),
    );
    expect(readOnly.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    expect(await writesOf(person.id)).toHaveLength(1);
  });

  it('runs a key retried 10 times at once exactly once, and refuses the key for another input', async () => {
    const idempotencyKey = key();
    const input = notice({ familyName: 'Idempotent' });
    const responses = await Promise.all(Array.from({ length: 10 }, () => ask(ISSUE, { input, key: idempotencyKey })));
    const ids = new Set(responses.map((response) => response.data?.issueWantedNotice?.id));
    expect(ids.size).toBe(1);
    const id = [...ids][0] as string;
    expect(await subgraph.counted.db.query(`select id from wanted_person where family_name = 'Idempotent'`)).toEqual([{ id }]);
    expect(await writesOf(id)).toHaveLength(1);
    const reused = await ask(ISSUE, { input: notice({ familyName: 'Different' }), key: idempotencyKey });
    expect(reused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' } });
  });

  it('lets one of two concurrent edits at the same version win; the other gets CONFLICT and the current version', async () => {
    const person = await issue();
    const [a, b] = await Promise.all([
      ask(AMEND, { id: person.id, v: 1, input: { givenNames: 'Alpha' }, key: key() }),
      ask(AMEND, { id: person.id, v: 1, input: { givenNames: 'Beta' }, key: key() }),
    ]);
    const winners = [a, b].filter((response) => !response.errors);
    const losers = [a, b].filter((response) => response.errors);
    expect(winners).toHaveLength(1);
    expect(losers[0]!.errors![0]).toMatchObject({ extensions: { code: 'CONFLICT', currentVersion: 2 } });
    const stored = await subgraph.counted.db.query<{ given_names: string; version: number }>(
      'select given_names, version from wanted_person where id = $1',
      [person.id],
    );
    expect(stored).toEqual([{ given_names: winners[0]!.data!.amendWantedNotice.givenNames, version: 2 }]);
  });

  it('leaves no record change, no audit entry and no idempotency claim when the transaction fails midway', async () => {
    const person = await issue();
    const db = subgraph.counted.db;
    await db.exec(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'injected audit failure'; end $$;
      create trigger refuse_audit before insert on audit_entry for each row execute function refuse_audit();`);
    const idempotencyKey = key();
    try {
      const failed = await ask(AMEND, { id: person.id, v: 1, input: { familyName: 'Partial' }, key: idempotencyKey });
      expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await db.exec('drop trigger refuse_audit on audit_entry; drop function refuse_audit();');
    }
    expect(await db.query('select family_name, version from wanted_person where id = $1', [person.id])).toEqual([
      { family_name: 'Testard', version: 1 },
    ]);
    expect(await writesOf(person.id)).toHaveLength(1);
    const retried = await ask(AMEND, { id: person.id, v: 1, input: { familyName: 'Partial' }, key: idempotencyKey });
    expect(retried.data!.amendWantedNotice).toMatchObject({ familyName: 'Partial', version: 2 });
    expect((await verifyChains(db, subgraph.auditKey)).filter((verdict) => verdict.broken !== null)).toEqual([]);
  });
});
