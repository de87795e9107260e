import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/observability/logger.ts';
import { ENGINES, openTestDb } from '../../../test/support/databases.ts';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { type AuditDraft, GENESIS_HASH } from './audit-entry.ts';
import { appendEntries } from './append-entries.ts';
import { AuditKey } from './audit-key.ts';
import { AuditLog } from './audit-log.ts';
import { AuditTrailRepository } from './audit-trail-repository.ts';
import { readPage } from '../rows/pagination.ts';
import { verifyChains } from './verify-chains.ts';

const draft = (chain: string, recordIds: string[], overrides: Partial<AuditDraft> = {}): AuditDraft => ({
  chain,
  kind: 'DISCLOSURE',
  requestId: 'req-1',
  partnerRequestId: null,
  partnerSubject: 'partner-a',
  partnerAgency: 'DEBKA0001',
  purposeCode: 'INVESTIGATION',
  purposeReference: 'CASE-1',
  operationName: 'Lookup',
  operationHash: 'a'.repeat(64),
  action: null,
  detail: null,
  recordIds,
  ...overrides,
});

const key = AuditKey.generate();

describe.each(ENGINES)('audit hash chains on %s', (engine) => {
  let db: Db;
  let release: () => Promise<void>;
  beforeAll(async () => {
    ({ db, release } = await openTestDb(engine, 'audit_chain'));
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)), 'kit/');
  });
  afterAll(() => release());

  const brokenOf = async (chain: string) => (await verifyChains(db, key, { chain }))[0]!;

  it('links entries per owning agency and verifies them', async () => {
    await db.transaction((tx) =>
      appendEntries(tx, [draft('FRPN00001', ['W1']), draft('DEBKA0001', ['W2']), draft('FRPN00001', ['W3', 'W4'])], key),
    );
    await db.transaction((tx) =>
      appendEntries(tx, [draft('FRPN00001', ['W5'], { kind: 'WRITE', action: 'amendWantedNotice', detail: '{"version":2}' })], key),
    );
    const verdicts = await verifyChains(db, key);
    expect(verdicts).toEqual([
      { chain: 'DEBKA0001', verified: 1, unauthenticated: 0, broken: null },
      { chain: 'FRPN00001', verified: 3, unauthenticated: 0, broken: null },
    ]);
  });

  it('names the first edited entry, then the first gap, then a truncated tail', async () => {
    await db.transaction((tx) =>
      appendEntries(
        tx,
        ['A', 'B', 'C', 'D', 'E'].map((id) => draft('NLKLPD001', [id])),
        key,
      ),
    );
    const entries = await db.query<{ seq: string; chain_seq: number }>(
      `select seq::text, chain_seq::int from audit_entry where chain = 'NLKLPD001' order by chain_seq`,
    );
    expect((await brokenOf('NLKLPD001')).broken).toBeNull();

    await db.query(`update audit_entry set purpose_code = 'AUDIT' where seq = $1`, [entries[2]!.seq]);
    expect((await brokenOf('NLKLPD001')).broken).toEqual({ seq: entries[2]!.seq, chainSeq: 3, reason: expect.stringContaining('edited') });
    expect((await brokenOf('NLKLPD001')).verified).toBe(2);
    await db.query(`update audit_entry set purpose_code = 'INVESTIGATION' where seq = $1`, [entries[2]!.seq]);

    await db.query('delete from audit_entry where seq = $1', [entries[1]!.seq]);
    expect((await brokenOf('NLKLPD001')).broken).toEqual({ seq: entries[2]!.seq, chainSeq: 3, reason: 'entry 2 of the chain is missing' });
    await db.query(`update audit_entry set chain_seq = chain_seq - 1 where chain = 'NLKLPD001' and chain_seq > 2`);
    expect((await brokenOf('NLKLPD001')).broken).toMatchObject({ chainSeq: 2, reason: 'does not link to the previous entry' });
  });

  it('verifies an entry written before migrations 003 and 004 as before, and covers the partner request id of later ones', async () => {
    // Stored as the code before 003 stored it, with the hash it computed then (no partner request id, no MAC).
    const hashedBefore003 = '69e2f20a483bc09e76086ba20530a32eea615edb99254b947b9458c65017055d';
    await db.query(
      `insert into audit_entry (chain, chain_seq, occurred_at, kind, request_id, partner_subject, partner_agency, purpose_code, purpose_reference,
         operation_name, operation_hash, action, detail, record_ids, prev_hash, hash)
       values ('GBMPS0001', 1, '2026-03-01T12:00:00.000Z', 'DISCLOSURE', 'partner-chosen-1', 'partner-a', 'DEBKA0001', 'INVESTIGATION', 'CASE-1',
         'Lookup', $1, null, null, array['W1'], $2, $3)`,
      ['a'.repeat(64), GENESIS_HASH, hashedBefore003],
    );
    await db.query(`insert into audit_chain_head (chain, chain_seq, hash) values ('GBMPS0001', 1, $1)`, [hashedBefore003]);
    expect(await brokenOf('GBMPS0001')).toEqual({ chain: 'GBMPS0001', verified: 1, unauthenticated: 1, broken: null });

    await db.transaction((tx) => appendEntries(tx, [draft('GBMPS0001', ['W2'], { partnerRequestId: 'trace-0001' })], key));
    expect(await brokenOf('GBMPS0001')).toEqual({ chain: 'GBMPS0001', verified: 2, unauthenticated: 1, broken: null });
    await db.query(`update audit_entry set partner_request_id = 'trace-0002' where chain = 'GBMPS0001' and chain_seq = 2`);
    expect((await brokenOf('GBMPS0001')).broken).toMatchObject({ chainSeq: 2, reason: expect.stringContaining('edited') });
    await db.query(`update audit_entry set partner_request_id = null where chain = 'GBMPS0001' and chain_seq = 2`);
    expect((await brokenOf('GBMPS0001')).broken).toMatchObject({ chainSeq: 2, reason: expect.stringContaining('edited') });
    await db.query(`update audit_entry set partner_request_id = 'trace-0001' where chain = 'GBMPS0001' and chain_seq = 2`);
    await db.query(`update audit_entry set partner_request_id = 'slipped-in' where chain = 'GBMPS0001' and chain_seq = 1`);
    expect((await brokenOf('GBMPS0001')).broken).toMatchObject({ chainSeq: 1, reason: expect.stringContaining('edited') });
  });

  it('notices entries removed from the end of a chain', async () => {
    await db.transaction((tx) =>
      appendEntries(
        tx,
        ['X', 'Y', 'Z'].map((id) => draft('ESPN00001', [id])),
        key,
      ),
    );
    await db.query(`delete from audit_entry where chain = 'ESPN00001' and chain_seq = 3`);
    expect((await brokenOf('ESPN00001')).broken).toMatchObject({ seq: null, reason: expect.stringContaining('removed from the end') });
  });

  it('group-commits concurrent disclosures: every one written, in far fewer transactions, chain intact', async () => {
    let transactions = 0;
    const counting: Db = { ...db, transaction: (fn) => ((transactions += 1), db.transaction(fn)) };
    const log = new AuditLog(counting, createLogger('test', 'silent'), key);
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.record([draft('ITPS00001', [`R${i}`])])));
    const [{ n }] = (await db.query<{ n: number }>(`select count(*)::int as n from audit_entry where chain = 'ITPS00001'`)) as [
      { n: number },
    ];
    expect(n).toBe(200);
    expect(transactions).toBeLessThan(20);
    expect((await brokenOf('ITPS00001')).broken).toBeNull();
  });

  it("lists an agency's trail newest first, by number, across pages", async () => {
    for (let i = 0; i < 12; i += 1) await db.transaction((tx) => appendEntries(tx, [draft('BEFP00001', [`B${i}`])], key));
    const auditor = new AuditTrailRepository(db, {
      principal: { subject: 'auditor', agency: 'BEFP00001', scopes: new Set(), jurisdictions: [] },
      purpose: null,
    });
    const first = await auditor.list({}, readPage({ first: 5 }));
    const rest = await auditor.list({}, readPage({ first: 10, after: first.pageInfo.endCursor }));
    expect([...first.nodes, ...rest.nodes].map((entry) => entry.recordIds[0])).toEqual(Array.from({ length: 12 }, (_, i) => `B${11 - i}`));
    expect(await first.totalCount()).toBe(12);
  });

  it('fails every waiting disclosure of a batch that cannot be committed', async () => {
    // A real database without the audit tables: every append of the batch fails in PostgreSQL itself.
    const { db: unmigrated, release: drop } = await openTestDb(engine, 'audit_unmigrated');
    try {
      const log = new AuditLog(unmigrated, createLogger('test', 'silent'), key);
      const outcomes = await Promise.allSettled([log.record([draft('PLKGP0001', ['P1'])]), log.record([draft('PLKGP0001', ['P2'])])]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    } finally {
      await drop();
    }
  });
});
