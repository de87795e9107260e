import { z } from 'zod';
import { parseEnv, startOrExit } from '../lib/config/env.ts';
import { publicKeys } from '../lib/identity/key-files.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { runUntilStopped } from '../lib/http/run-service.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { openDb } from '../subgraphs/kit/db/db.ts';
import { loadSubgraphConfig } from '../subgraphs/kit/server/subgraph-config.ts';
import type { BuiltSubgraph, SubgraphServerOptions } from '../subgraphs/kit/index.ts';
import { disclosureAudit } from '../subgraphs/kit/audit/disclosure-audit.ts';
import { fieldRuleEnforcement } from '../subgraphs/kit/authz/field-rule-enforcement.ts';
import { SUBGRAPH_FEATURES } from '../subgraphs/kit/server/subgraph-features.ts';
import { unverifiedIdentity } from './bare-identity.ts';

// A subgraph process exactly as subgraphs/kit/server/run-subgraph.ts starts it, but without a lookup cache:
// the "cache off" side of the benchmark (a shipped subgraph always has one, in Redis or in process).
// With BENCH_BARE=1, also without field rules, the identity check and disclosure tracking: the bare
// @apollo/subgraph with the kit's repositories, row rules and writes, which prices the kit's checks.
await startOrExit(async () => {
  const { BENCH_SUBGRAPH: name, BENCH_BARE: bare } = parseEnv(
    z.object({ BENCH_SUBGRAPH: z.string().regex(/^[a-z0-9-]+$/), BENCH_BARE: z.enum(['0', '1']).default('0') }),
  );
  const entry = readSupergraphConfig().find((subgraph) => subgraph.name === name);
  if (!entry) throw new Error(`subgraph ${name} is not listed in schema/supergraph.yaml`);
  const config = loadSubgraphConfig(entry.port);
  const log = createLogger(name, config.LOG_LEVEL);
  const { buildServer } = (await import(`../subgraphs/${name}/server.ts`)) as {
    buildServer: (options: SubgraphServerOptions) => Promise<BuiltSubgraph>;
  };
  const db = await openDb({ url: config.DATABASE_URL, dataDir: config.PGLITE_DATA_DIR });
  const identityKeys = await publicKeys(
    config.IDENTITY_JWKS_FILE,
    'IDENTITY_JWKS_FILE',
    config.NODE_ENV === 'production',
    'gateway-identity',
  );
  const checksOff = bare === '1' && {
    features: SUBGRAPH_FEATURES.filter((feature) => feature !== disclosureAudit && feature !== fieldRuleEnforcement),
    identity: unverifiedIdentity,
  };
  const server = await buildServer({ db, log, seed: config.SEED, identityKeys, ...checksOff });
  runUntilStopped(server, await server.listen(config.PORT, config.HOST), log);
});
