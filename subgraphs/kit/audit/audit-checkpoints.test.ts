import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb } from '../../../test/support/databases.ts';
import { memoryLog } from '../../../test/support/memory-log.ts';
import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import type { SubgraphFeatureHost } from '../server/contract.ts';
import { appendEntries } from './append-entries.ts';
import { auditCheckpoints } from './audit-checkpoints.ts';
import { checkpointLine, parseCheckpoints } from './audit-checkpoint.ts';
import type { AuditDraft } from './audit-entry.ts';
import { AuditKey } from './audit-key.ts';

const key = AuditKey.generate();
const draft = (chain: string): AuditDraft => ({
  chain,
  kind: 'DISCLOSURE',
  requestId: null,
  partnerRequestId: null,
  partnerSubject: 'partner-a',
  partnerAgency: null,
  purposeCode: null,
  purposeReference: null,
  operationName: null,
  operationHash: null,
  action: null,
  detail: null,
  recordIds: ['R1'],
});
const until = async (condition: () => boolean) => {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 5_000) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe.each(ENGINES)('audit checkpoints on %s', (engine) => {
  let db: Db;
  let release: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ db, release } = await openTestDb(engine, 'audit_checkpoints'));
    await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)), 'kit/');
    dir = mkdtempSync(join(tmpdir(), 'liaison-checkpoints-'));
  });
  afterAll(async () => {
    await release();
    rmSync(dir, { recursive: true, force: true });
  });

  const append = (chain: string) => db.transaction((tx) => appendEntries(tx, [draft(chain)], key));
  const host = (file: string | undefined, log = memoryLog().log): SubgraphFeatureHost => ({
    name: 'wanted-persons',
    sdl: '',
    auditedTypes: {},
    db,
    log,
    auditKey: key,
    auditCheckpoints: file ? { file, intervalMs: 1_000 } : undefined,
  });
  const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n');
  const headsOf = (file: string) => parseCheckpoints(readFileSync(file, 'utf8'), key, file);

  it('checkpoints at start, every interval while heads move, and at shutdown', async () => {
    await append('FRPN00001');
    const file = join(dir, 'nested', 'wanted-persons.checkpoints.jsonl');
    const feature = await auditCheckpoints.build(host(file));
    expect(headsOf(file)).toMatchObject({ valid: 1, problems: [], anchors: [{ chain: 'FRPN00001', chainSeq: 1, authenticated: true }] });

    await append('FRPN00001');
    await append('DEBKA0001');
    await until(() => existsSync(file) && lines(file).length === 2);
    expect(headsOf(file).anchors.slice(1)).toMatchObject([
      { chain: 'DEBKA0001', chainSeq: 1 },
      { chain: 'FRPN00001', chainSeq: 2 },
    ]);
    // Heads that did not move add nothing at the interval.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect(lines(file)).toHaveLength(2);

    await append('FRPN00001');
    await feature.close!();
    expect(headsOf(file)).toMatchObject({ valid: 3, problems: [] });
    expect(headsOf(file).anchors.at(-1)).toMatchObject({ chain: 'FRPN00001', chainSeq: 3 });
  });

  it('refuses checkpoint lines edited, cut short or signed with another key', async () => {
    const file = join(dir, 'edited.jsonl');
    const feature = await auditCheckpoints.build(host(file));
    await feature.close!();
    const [line] = lines(file);
    const edited = line!.replace(/"seq":(\d+)/, (_, seq: string) => `"seq":${Number(seq) + 1}`);
    const other = checkpointLine(AuditKey.generate(), 'wanted-persons', new Date().toISOString(), headsOf(file).anchors).trim();
    writeFileSync(file, [line, edited, other, line!.slice(0, 40)].join('\n'));
    const reading = headsOf(file);
    expect(reading.valid).toBe(1);
    expect(reading.problems).toEqual([
      `${file} line 2: its MAC does not match its content (edited)`,
      expect.stringMatching(new RegExp(`^${file} line 3: signed with audit key [0-9a-f]{16}, not with the key given \\(${key.id}\\)$`)),
      `${file} line 4: not a checkpoint (incomplete or not JSON)`,
    ]);
  });

  it('does not vouch for a head forged in the database', async () => {
    await append('GBMPS0001');
    await db.query(`update audit_chain_head set hash = $1 where chain = 'GBMPS0001'`, ['f'.repeat(64)]);
    const file = join(dir, 'forged.jsonl');
    const log = memoryLog();
    await (
      await auditCheckpoints.build(host(file, log.log))
    ).close!();
    expect(headsOf(file).anchors.map((anchor) => anchor.chain)).not.toContain('GBMPS0001');
    expect(log.entries()).toContainEqual(expect.objectContaining({ chain: 'GBMPS0001', msg: expect.stringContaining('not checkpointed') }));
  });

  it('writes nothing without checkpoint options', async () => {
    expect(await auditCheckpoints.build(host(undefined))).toEqual({});
  });
});
