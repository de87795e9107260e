import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/observability/logger.ts';
import { chainEntries, deleteChain, editAndRehash, truncateAndMoveHead } from '../../../test/support/audit-tamper.ts';
import { ENGINES, openTestDb } from '../../../test/support/databases.ts';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { appendEntries } from './append-entries.ts';
import { parseCheckpoints } from './audit-checkpoint.ts';
import type { AuditDraft } from './audit-entry.ts';
import { AuditKey } from './audit-key.ts';
import { CheckpointWriter } from './checkpoint-writer.ts';
import { verifyChains } from './verify-chains.ts';

const key = AuditKey.generate();
const draft = (chain: string, id: string): AuditDraft => ({
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
  recordIds: [id],
});

// Tampering by whoever can write the database but holds no audit key: each case passes a plain
// SHA-256 chain with its head, and must not pass the MACs and the checkpoints.
describe.each(ENGINES)('tamper evidence on %s', (engine) => {
  let db: Db;
  let release: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ db, release } = await openTestDb(engine, 'audit_tamper'));
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)), 'kit/');
    dir = mkdtempSync(join(tmpdir(), 'liaison-audit-'));
  });
  afterAll(async () => {
    await release();
    rmSync(dir, { recursive: true, force: true });
  });

  const fill = (chain: string, count: number) =>
    db.transaction((tx) =>
      appendEntries(
        tx,
        Array.from({ length: count }, (_, i) => draft(chain, `${chain}-${i}`)),
        key,
      ),
    );
  /** Checkpoints the database now, as the subgraph does, and reads the file back as audit:verify does. */
  const checkpoint = async (file: string) => {
    await new CheckpointWriter(db, key, 'test', file, createLogger('test', 'silent')).write(true);
    return parseCheckpoints(readFileSync(file, 'utf8'), key, file).anchors;
  };
  const verdictOf = async (chain: string, anchors: Awaited<ReturnType<typeof checkpoint>> = []) =>
    (await verifyChains(db, key, { chain, anchors }))[0];

  it('finds an edited entry whose hash, every later hash and the head were recomputed', async () => {
    await fill('FRPN00001', 5);
    await editAndRehash(db, 'FRPN00001', 3, 'rewritten');
    expect(await verdictOf('FRPN00001')).toMatchObject({
      verified: 2,
      broken: { chainSeq: 3, reason: 'its content does not match its MAC (edited, or written with another audit key)' },
    });
  });

  it('refuses entries authenticated with another key, and entries stripped of their MAC', async () => {
    await fill('DEBKA0001', 3);
    expect((await verifyChains(db, AuditKey.generate(), { chain: 'DEBKA0001' }))[0]!.broken).toMatchObject({ chainSeq: 1 });
    await db.query(`update audit_entry set mac = null where chain = 'DEBKA0001' and chain_seq = 2`);
    expect((await verdictOf('DEBKA0001'))!.broken).toMatchObject({ chainSeq: 2, reason: expect.stringContaining('its MAC was removed') });
  });

  it('finds, through a checkpoint, a chain stripped of every MAC and then edited', async () => {
    await fill('ITPS00001', 3);
    const anchors = await checkpoint(join(dir, 'strip.jsonl'));
    await db.query(`update audit_entry set mac = null where chain = 'ITPS00001'`);
    await editAndRehash(db, 'ITPS00001', 2, 'rewritten');
    // Without the checkpoint it reads as a chain from before audit keys.
    expect(await verdictOf('ITPS00001')).toMatchObject({ unauthenticated: 3, broken: null });
    expect((await verdictOf('ITPS00001', anchors))!.broken).toMatchObject({
      chainSeq: 3,
      reason: expect.stringContaining('not the entry the checkpoint'),
    });
  });

  it('finds a tail removed with its head moved back, through the checkpoint', async () => {
    await fill('NLKLPD001', 4);
    const anchors = await checkpoint(join(dir, 'truncate.jsonl'));
    await truncateAndMoveHead(db, 'NLKLPD001', 2);
    expect((await verdictOf('NLKLPD001'))!.broken).toBeNull();
    expect(await verdictOf('NLKLPD001', anchors)).toMatchObject({
      verified: 2,
      broken: {
        seq: null,
        chainSeq: 3,
        reason: expect.stringMatching(/checkpoint of .* recorded 4 entries but only 2 remain \(entries removed from the end\)/),
      },
    });
  });

  it('finds a chain deleted with its head, through the checkpoint, and a head deleted alone', async () => {
    await fill('ESPN00001', 2);
    await fill('BEFP00001', 2);
    const anchors = await checkpoint(join(dir, 'delete.jsonl'));
    await deleteChain(db, 'ESPN00001');
    expect(await verifyChains(db, key, { chain: 'ESPN00001' })).toEqual([]);
    expect(await verdictOf('ESPN00001', anchors)).toMatchObject({
      verified: 0,
      broken: { reason: expect.stringMatching(/the chain is gone from the database: the checkpoint of .* recorded 2 entries/) },
    });
    await db.query(`delete from audit_chain_head where chain = 'BEFP00001'`);
    expect((await verdictOf('BEFP00001'))!.broken).toMatchObject({ reason: 'its chain head is missing (deleted)' });
    expect(await chainEntries(db, 'BEFP00001')).toHaveLength(2);
  });
});
