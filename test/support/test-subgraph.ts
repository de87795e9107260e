import { createLogger } from '../../lib/observability/logger.ts';
import { AuditKey } from '../../subgraphs/kit/audit/audit-key.ts';
import { openDb } from '../../subgraphs/kit/db/db.ts';
import type { BuiltSubgraph, SubgraphServerOptions } from '../../subgraphs/kit/index.ts';
import { type CountingDb, countQueries } from './counting-db.ts';
import { createTestDatabase, type Engine } from './databases.ts';
import { identityKeys, registerSubgraphUrl } from './identity.ts';

/** One subgraph started for a test file. */
export interface TestSubgraph {
  url: string;
  /** The subgraph's database, counting the statements it is sent. */
  counted: CountingDb;
  /** The PostgreSQL URL of that database, for tools run against it (absent on PGlite). */
  databaseUrl: string | undefined;
  /** The key its audit entries are authenticated with, to verify its chains. */
  auditKey: AuditKey;
  /** Closes the server (and with it the database), then drops the PostgreSQL test database. */
  stop(): Promise<void>;
}

/**
 * Starts a subgraph over real HTTP on a fresh demo-seeded database of the given engine (its own
 * `liaison_test_<label>_*` database on the PostgreSQL server). The server owns the database once
 * built, so `stop` lets it close the database rather than closing it twice.
 */
export async function startTestSubgraph(
  build: (options: SubgraphServerOptions) => Promise<BuiltSubgraph>,
  engine: Engine,
  label: string,
  options: Pick<SubgraphServerOptions, 'cache' | 'auditKey' | 'tls' | 'recordEvents'> = {},
): Promise<TestSubgraph> {
  const database = engine === 'postgres' ? await createTestDatabase(label) : undefined;
  const counted = countQueries(await openDb({ url: database?.url }));
  // A key of its own, not the development one in .keys/: nothing outside this test can forge its MACs.
  const auditKey = options.auditKey ?? AuditKey.generate();
  const server = await build({
    db: counted.db,
    log: createLogger('test', 'silent'),
    seed: 'demo',
    identityKeys: await identityKeys(),
    ...options,
    auditKey,
  });
  const url = await server.listen(0, '127.0.0.1');
  registerSubgraphUrl(url, server.name);
  return {
    url,
    counted,
    databaseUrl: database?.url,
    auditKey,
    async stop() {
      await server.close();
      await database?.drop();
    },
  };
}
