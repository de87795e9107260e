import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../lib/authz/principal.ts';
import { ALL_SCOPES } from '../lib/authz/scopes.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { AUDIT_ENTRY_COLUMNS, type AuditEntry, hashEntry } from '../subgraphs/kit/audit/audit-entry.ts';
import { AuditKey } from '../subgraphs/kit/audit/audit-key.ts';
import { verifyChains } from '../subgraphs/kit/audit/verify-chains.ts';
import { type Db, openDb } from '../subgraphs/kit/db/db.ts';
import type { BuiltSubgraph } from '../subgraphs/kit/index.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { askSubgraph, identityKeys, registerSubgraphUrl } from './support/identity.ts';
import { testConfig } from './support/test-config.ts';

const WRITER: Caller = {
  principal: { subject: 'writer-FRPN00001', agency: 'FRPN00001', scopes: new Set(ALL_SCOPES), jurisdictions: ['FR'] },
  purpose: { code: 'OPERATIONS', reference: 'REF-7' },
};
const ISSUE = `mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
const NOTICE = {
  familyName: 'Testard',
  givenNames: 'Rémi',
  dateOfBirth: '1980-04-02',
  nationality: 'fr',
  sex: 'MALE',
  noticeType: 'RED',
  warrant: { issuingCourt: 'Tribunal judiciaire de Lyon', issuedOn: '2026-01-15', charges: ['fraud'] },
  jurisdiction: 'fr-ara',
};

/** Runs SQL on the server's maintenance database as its superuser: roles are cluster-wide. */
async function asServerAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testConfig.TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

// The subgraph serves as an application role and migrates as the owner, as docker-compose runs it.
describe('the application database role on PostgreSQL', () => {
  const role = `liaison_test_app_${randomBytes(4).toString('hex')}`;
  const auditKey = AuditKey.generate();
  let database: TestDatabase;
  let server: BuiltSubgraph;
  let url: string;
  let app: Db;
  beforeAll(async () => {
    await asServerAdmin(`create role ${role} login`);
    database = await createTestDatabase('audit_app_role');
    const appUrl = new URL(database.url);
    appUrl.username = role;
    appUrl.password = '';
    const owner = await openDb({ url: database.url });
    try {
      server = await buildServer({
        db: await openDb({ url: appUrl.toString() }),
        migrationDb: owner,
        log: createLogger('test', 'silent'),
        seed: 'demo',
        identityKeys: await identityKeys(),
        auditKey,
      });
    } finally {
      await owner.close();
    }
    url = await server.listen(0, '127.0.0.1');
    registerSubgraphUrl(url, server.name);
    app = await openDb({ url: appUrl.toString() });
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    await database?.drop();
    await asServerAdmin(`drop role if exists ${role}`);
  });

  const refusal = (sql: string) =>
    app.query(sql).then(
      () => 'allowed',
      (error: { code?: string }) => error.code,
    );

  it('serves reads and writes, each appended to the audit trail', async () => {
    const read = await askSubgraph(url, '{ wantedPerson(id: "W000000001") { id } }');
    expect(read.data!.wantedPerson).toEqual({ id: 'W000000001' });
    const write = await askSubgraph(url, ISSUE, { input: NOTICE, key: randomUUID() }, WRITER);
    expect(write.errors).toBeUndefined();
    const [{ current_user }] = (await app.query<{ current_user: string }>('select current_user')) as [{ current_user: string }];
    expect(current_user).toBe(role);
    // The lookup's disclosure, the write, and the disclosure of the record the mutation returned.
    expect(await app.query(`select kind from audit_entry order by seq`)).toEqual([
      { kind: 'DISCLOSURE' },
      { kind: 'WRITE' },
      { kind: 'DISCLOSURE' },
    ]);
  });

  it('cannot update, delete or truncate an audit entry, nor delete a chain head or the migration record', async () => {
    // 42501: insufficient_privilege, PostgreSQL's own refusal.
    expect(await refusal(`update audit_entry set purpose_reference = 'rewritten'`)).toBe('42501');
    expect(await refusal(`delete from audit_entry`)).toBe('42501');
    expect(await refusal(`truncate audit_entry`)).toBe('42501');
    expect(await refusal(`delete from audit_chain_head`)).toBe('42501');
    expect(await refusal(`truncate audit_chain_head`)).toBe('42501');
    expect(await refusal(`insert into schema_migrations (version) values ('kit/999_skipped')`)).toBe('42501');
    expect(await app.query(`select count(*)::int as n from audit_entry where purpose_reference = 'rewritten'`)).toEqual([{ n: 0 }]);
    expect(await app.query(`select count(*)::int as n from audit_entry`)).toEqual([{ n: 3 }]);
  });

  it('can still append a forged entry and move the head to it, which its MAC gives away', async () => {
    const [last] = await app.query<AuditEntry>(`select ${AUDIT_ENTRY_COLUMNS} from audit_entry order by seq desc limit 1`);
    const { seq: _seq, hash: _hash, mac: _mac, ...fields } = last!;
    const forged = { ...fields, chainSeq: last!.chainSeq + 1, prevHash: last!.hash, purposeReference: 'forged' };
    const hash = hashEntry(forged);
    await app.query(
      `insert into audit_entry (chain, chain_seq, occurred_at, kind, partner_subject, record_ids, purpose_reference, request_id, partner_agency,
         purpose_code, operation_name, operation_hash, action, detail, prev_hash, hash, mac)
       select chain, $2, occurred_at, kind, partner_subject, record_ids, 'forged', request_id, partner_agency, purpose_code, operation_name,
         operation_hash, action, detail, $3, $4, $5 from audit_entry where seq = $1`,
      [last!.seq, forged.chainSeq, forged.prevHash, hash, 'f'.repeat(64)],
    );
    await app.query('update audit_chain_head set chain_seq = $2, hash = $3 where chain = $1', [forged.chain, forged.chainSeq, hash]);
    const [verdict] = await verifyChains(app, auditKey, { chain: forged.chain });
    expect(verdict!.broken).toMatchObject({ chainSeq: forged.chainSeq, reason: expect.stringContaining('does not match its MAC') });
  });
});
