import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { readAuditKeyFile } from '../subgraphs/kit/audit/load-audit-key.ts';
import { type Db, openDb } from '../subgraphs/kit/db/db.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { chainEntries, deleteChain, editAndRehash, truncateAndMoveHead } from './support/audit-tamper.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { askSubgraph, identityKeys, registerSubgraphUrl } from './support/identity.ts';

const run = promisify(execFile);

/** `npm run audit:verify` as an operator runs it; resolves with its exit code and output. */
async function auditVerify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve(ROOT, 'scripts/audit-verify.ts'), ...args], {
      cwd: ROOT,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The attacker here can write the subgraph's database as its superuser, but holds neither the audit key
// nor the checkpoint file: each tampering below passes a plain SHA-256 chain with its head.
describe('npm run audit:verify', () => {
  let database: TestDatabase;
  let db: Db;
  let dir: string;
  let keyFile: string;
  let checkpointFile: string;
  /** The chains the lookups wrote, longest first. */
  let chains: { chain: string; entries: number }[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liaison-audit-verify-'));
    keyFile = join(dir, 'audit.key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'));
    checkpointFile = join(dir, 'wanted-persons.checkpoints.jsonl');
    database = await createTestDatabase('audit_verify');
    const server = await buildServer({
      db: await openDb({ url: database.url }),
      log: createLogger('test', 'silent'),
      seed: 'demo',
      identityKeys: await identityKeys(),
      auditKey: readAuditKeyFile(keyFile, 'test'),
      auditCheckpoints: { file: checkpointFile, intervalMs: 3_600_000 },
    });
    const url = await server.listen(0, '127.0.0.1');
    registerSubgraphUrl(url, server.name);
    for (let i = 1; i <= 40; i += 1) await askSubgraph(url, `{ wantedPerson(id: "W${String(i).padStart(9, '0')}") { id noticeType } }`);
    // A clean shutdown writes the last checkpoint; the database stays for the tool and the attacker.
    await server.close();
    db = await openDb({ url: database.url });
    chains = await db.query<{ chain: string; entries: number }>(
      'select chain, count(*)::int as entries from audit_entry group by chain order by count(*) desc, chain',
    );
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const verify = (...args: string[]) =>
    auditVerify('--database-url', database.url, '--key-file', keyFile, '--checkpoint-file', checkpointFile, ...args);

  it('passes an untouched trail, checked against its checkpoints', async () => {
    expect(chains.length).toBeGreaterThanOrEqual(4);
    expect(chains[2]!.entries).toBeGreaterThanOrEqual(3);
    const clean = await verify();
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(new RegExp(`^checkpoints {2}${checkpointFile}: 1 valid, latest \\d{4}-`, 'm'));
    for (const { chain, entries } of chains) expect(clean.stdout).toContain(`${chain}  OK  ${entries} entries\n`);
  });

  it('names an entry edited with every later hash and the chain head recomputed', async () => {
    const { chain } = chains[0]!;
    const target = (await chainEntries(db, chain))[1]!;
    await editAndRehash(db, chain, 2, 'rewritten');
    const tampered = await verify('--chain', chain.toLowerCase());
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(
      `${chain}  BROKEN at chain entry 2 (seq ${target.seq}): its content does not match its MAC (edited, or written with another audit key); 1 entries verified before it`,
    );
  });

  it('names a tail cut off with its head moved back to match', async () => {
    const { chain, entries } = chains[1]!;
    await truncateAndMoveHead(db, chain, 1);
    const tampered = await verify('--chain', chain);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(
      new RegExp(
        `^${chain} {2}BROKEN at chain entry ${entries}: the checkpoint of \\S+ recorded ${entries} entries but only ${entries - 1} remain \\(entries removed from the end\\)`,
        'm',
      ),
    );
  });

  it('names a chain deleted with its head, which only the checkpoint remembers', async () => {
    const { chain, entries } = chains[2]!;
    await deleteChain(db, chain);
    const tampered = await verify('--chain', chain);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(
      new RegExp(
        `^${chain} {2}BROKEN at chain entry 1: the chain is gone from the database: the checkpoint of \\S+ recorded ${entries} entries`,
        'm',
      ),
    );
    const blind = await auditVerify('--database-url', database.url, '--key-file', keyFile, '--chain', chain);
    expect(blind.code).toBe(0);
    expect(blind.stdout).toContain('checkpoints  none given: a chain deleted whole, or cut short with its head, cannot be noticed');
    expect(blind.stdout).toContain(`No audit chain for ${chain} in this database or its checkpoints.`);
  });

  it('reports every broken chain at once, and refuses an edited checkpoint or another key', async () => {
    const all = await verify();
    expect(all.code).toBe(1);
    expect(all.stdout.match(/ BROKEN at /g)).toHaveLength(3);
    expect(all.stdout).toContain(`${chains[3]!.chain}  OK  ${chains[3]!.entries} entries`);

    const edited = join(dir, 'edited.jsonl');
    writeFileSync(
      edited,
      readFileSync(checkpointFile, 'utf8').replace(/"seq":(\d+)/, (_, seq: string) => `"seq":${Number(seq) - 1}`),
    );
    const forged = await auditVerify(
      '--database-url',
      database.url,
      '--key-file',
      keyFile,
      '--checkpoint-file',
      edited,
      '--chain',
      chains[3]!.chain,
    );
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain(`checkpoints  INVALID ${edited} line 1: its MAC does not match its content (edited)`);

    const otherKey = join(dir, 'other.key');
    writeFileSync(otherKey, randomBytes(32).toString('base64'));
    const wrongKey = await auditVerify('--database-url', database.url, '--key-file', otherKey, '--chain', chains[3]!.chain);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain(`${chains[3]!.chain}  BROKEN at chain entry 1`);
  });

  it('explains how to call it when the arguments are wrong', async () => {
    const wrong = await auditVerify('--chain', 'FRPN00001', '--key-file', keyFile);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('give exactly one of --database-url and --pglite-dir');
    expect(wrong.stderr).toContain('Usage: npm run audit:verify');
    const keyless = await auditVerify('--database-url', database.url);
    expect(keyless.code).toBe(1);
    expect(keyless.stderr).toContain('--key-file is required');
  });
});
