import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, postgresUrlSchema, startOrExit } from '../lib/config/env.ts';
import { AGENCY_CODE } from '../lib/domain/index.ts';
import { type CheckpointReading, parseCheckpoints } from '../subgraphs/kit/audit/audit-checkpoint.ts';
import { readAuditKeyFile } from '../subgraphs/kit/audit/load-audit-key.ts';
import { verifyChains } from '../subgraphs/kit/audit/verify-chains.ts';
import { openDb } from '../subgraphs/kit/db/db.ts';

const USAGE = `Usage: npm run audit:verify -- (--database-url URL | --pglite-dir DIR) --key-file FILE
         [--checkpoint-file FILE]... [--chain AGENCY]
Checks one subgraph's audit trail: every entry's hash, link and MAC (with the subgraph's audit key,
its AUDIT_KEY_FILE), and, with its checkpoint files (AUDIT_CHECKPOINT_FILE), that every chain a
checkpoint names still exists and reaches the head recorded there. Names the first broken entry of
each chain. Exits 1 when a chain is broken or a checkpoint is not valid.`;

const argsSchema = z
  .object({
    'database-url': postgresUrlSchema.optional(),
    'pglite-dir': z.string().min(1).optional(),
    'key-file': z.string({ error: '--key-file is required: the audit key the subgraph was configured with' }).min(1),
    'checkpoint-file': z.array(z.string().min(1)).default([]),
    chain: z.string().trim().toUpperCase().regex(AGENCY_CODE, '--chain must be a 9-character agency code').optional(),
  })
  .refine((args) => Boolean(args['database-url']) !== Boolean(args['pglite-dir']), 'give exactly one of --database-url and --pglite-dir');

/** Every checkpoint file, read and checked with the key: their heads, and the lines that failed. */
function readCheckpointFiles(files: string[], key: Parameters<typeof parseCheckpoints>[1]): CheckpointReading[] {
  return files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`--checkpoint-file: cannot read ${file} (${(error as Error).message})\n\n${USAGE}`);
    }
    return parseCheckpoints(text, key, file);
  });
}

await startOrExit(async () => {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      'pglite-dir': { type: 'string' },
      'key-file': { type: 'string' },
      'checkpoint-file': { type: 'string', multiple: true },
      chain: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new ConfigError(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${USAGE}`);
  const args = parsed.data;
  const key = readAuditKeyFile(args['key-file'], '--key-file');
  const readings = readCheckpointFiles(args['checkpoint-file'], key);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const [index, reading] of readings.entries()) {
    out(`checkpoints  ${args['checkpoint-file'][index]}: ${reading.valid} valid${reading.latest ? `, latest ${reading.latest}` : ''}`);
    for (const problem of reading.problems) out(`checkpoints  INVALID ${problem}`);
  }
  if (readings.length === 0) out('checkpoints  none given: a chain deleted whole, or cut short with its head, cannot be noticed');
  const db = await openDb({ url: args['database-url'], dataDir: args['pglite-dir'] });
  try {
    const verdicts = await verifyChains(db, key, { chain: args.chain, anchors: readings.flatMap((reading) => reading.anchors) });
    if (verdicts.length === 0) out(`No audit chain${args.chain ? ` for ${args.chain}` : ''} in this database or its checkpoints.`);
    for (const { chain, verified, unauthenticated, broken } of verdicts) {
      const marked = unauthenticated > 0 ? ` (the first ${unauthenticated} from before audit keys, without a MAC)` : '';
      out(
        broken
          ? `${chain}  BROKEN at chain entry ${broken.chainSeq}${broken.seq ? ` (seq ${broken.seq})` : ''}: ${broken.reason}; ${verified} entries verified before it`
          : `${chain}  OK  ${verified} entries${marked}`,
      );
    }
    if (verdicts.some((verdict) => verdict.broken) || readings.some((reading) => reading.problems.length > 0)) process.exitCode = 1;
  } finally {
    await db.close();
  }
});
