import { createLogger } from '../../lib/observability/logger.ts';
import { openDb } from '../../subgraphs/kit/db/db.ts';
import type { BuiltSubgraph, SubgraphServerOptions } from '../../subgraphs/kit/index.ts';
import { type CountingDb, countQueries } from './counting-db.ts';
import { createTestDatabase, type Engine } from './databases.ts';
import { identityKeys } from './identity.ts';

/** One subgraph started for a test file. */
export interface TestSubgraph {
  url: string;
  /** The subgraph's database, counting the statements it is sent. */
  counted: CountingDb;
  /** The PostgreSQL URL of that database, for tools run against it (absent on PGlite). */
  databaseUrl: string | undefined;
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
  options: Pick<SubgraphServerOptions, 'cache'> = {},
): Promise<TestSubgraph> {
  const database = engine === 'postgres' ? await createTestDatabase(label) : undefined;
  const counted = countQueries(await openDb({ url: database?.url }));
  const server = await build({
    db: counted.db,
    log: createLogger('test', 'silent'),
    seed: 'demo',
    identityKeys: await identityKeys(),
    ...options,
  });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    counted,
    databaseUrl: database?.url,
    async stop() {
      await server.close();
      await database?.drop();
    },
  };
}
