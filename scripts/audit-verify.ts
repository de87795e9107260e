import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, postgresUrlSchema, startOrExit } from '../lib/config/env.ts';
import { verifyChains } from '../subgraphs/kit/audit/verify-chains.ts';
import { openDb } from '../subgraphs/kit/db/db.ts';
import { AGENCY_CODE } from '../lib/domain/index.ts';

// `npm run audit:verify -- --database-url postgres://… [--chain AGENCY]` or `-- --pglite-dir DIR`
const USAGE = `Usage: npm run audit:verify -- (--database-url URL | --pglite-dir DIR) [--chain AGENCY]
Checks the hash chains of one subgraph's audit trail (every owning agency's, or one) and names the
first broken entry of each. Exits 1 when a chain is broken.`;

const argsSchema = z
  .object({
    'database-url': postgresUrlSchema.optional(),
    'pglite-dir': z.string().min(1).optional(),
    chain: z.string().trim().toUpperCase().regex(AGENCY_CODE, '--chain must be a 9-character agency code').optional(),
  })
  .refine((args) => Boolean(args['database-url']) !== Boolean(args['pglite-dir']), 'give exactly one of --database-url and --pglite-dir');

await startOrExit(async () => {
  const { values } = parseArgs({
    options: { 'database-url': { type: 'string' }, 'pglite-dir': { type: 'string' }, chain: { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) return void process.stdout.write(`${USAGE}\n`);
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new ConfigError(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${USAGE}`);
  const db = await openDb({ url: parsed.data['database-url'], dataDir: parsed.data['pglite-dir'] });
  try {
    const verdicts = await verifyChains(db, parsed.data.chain);
    if (verdicts.length === 0)
      process.stdout.write(`No audit chain${parsed.data.chain ? ` for ${parsed.data.chain}` : ''} in this database.\n`);
    for (const { chain, verified, broken } of verdicts) {
      process.stdout.write(
        broken
          ? `${chain}  BROKEN at chain entry ${broken.chainSeq}${broken.seq ? ` (seq ${broken.seq})` : ''}: ${broken.reason}; ${verified} entries verified before it\n`
          : `${chain}  OK  ${verified} entries\n`,
      );
    }
    if (verdicts.some((verdict) => verdict.broken)) process.exitCode = 1;
  } finally {
    await db.close();
  }
});
