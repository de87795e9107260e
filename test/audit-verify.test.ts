import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { askSubgraph } from './support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from './support/test-subgraph.ts';

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

describe('npm run audit:verify', () => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, 'postgres', 'audit_verify');
    for (const id of ['W000000001', 'W000000002', 'W000000003', 'W000000004'])
      await askSubgraph(subgraph.url, `{ wantedPerson(id: "${id}") { id noticeType } }`);
  });
  afterAll(() => subgraph?.stop());

  it('passes an untouched trail and names the first edited entry of a tampered one', async () => {
    const clean = await auditVerify('--database-url', subgraph.databaseUrl!);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^[A-Z0-9]{9} {2}OK {2}\d+ entries$/m);

    const [target] = await subgraph.counted.db.query<{ seq: string; chain: string; chain_seq: number }>(
      `select seq::text, chain, chain_seq::int from audit_entry where record_ids @> array['W000000003'] order by seq limit 1`,
    );
    await subgraph.counted.db.query(`update audit_entry set purpose_reference = 'rewritten' where seq = $1`, [target!.seq]);
    const tampered = await auditVerify('--database-url', subgraph.databaseUrl!, '--chain', target!.chain.toLowerCase());
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(
      `${target!.chain}  BROKEN at chain entry ${target!.chain_seq} (seq ${target!.seq}): its content does not match its hash (edited)`,
    );
  });

  it('explains how to call it when the arguments are wrong', async () => {
    const wrong = await auditVerify('--chain', 'FRPN00001');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('give exactly one of --database-url and --pglite-dir');
    expect(wrong.stderr).toContain('Usage: npm run audit:verify');
  });
});
