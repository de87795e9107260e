import { createLogger } from '../../lib/logger.ts';
import { identityKeys } from '../../test/support/identity.ts';
import { type CountingDb, countQueries } from '../../test/support/counting-db.ts';
import { createTestDatabase, type Engine } from '../../test/support/databases.ts';
import { openDb } from '../kit/db.ts';
import { buildServer } from './server.ts';

/** The case-status subgraph started for a test file. */
export interface TestSubgraph {
  url: string;
  /** The subgraph's database, counting the statements it is sent. */
  counted: CountingDb;
  /** Closes the server (and with it the database), then drops the PostgreSQL test database. */
  stop(): Promise<void>;
}

/**
 * Starts the subgraph over real HTTP on a fresh demo-seeded database of the given engine. The server
 * owns the database once built, so `stop` lets it close the database rather than closing it twice.
 */
export async function startTestSubgraph(engine: Engine): Promise<TestSubgraph> {
  const database = engine === 'postgres' ? await createTestDatabase('case_status') : undefined;
  const counted = countQueries(await openDb({ url: database?.url }));
  const server = await buildServer({ db: counted.db, log: createLogger('test', 'silent'), seed: 'demo', identityKeys: await identityKeys() });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    counted,
    async stop() {
      await server.close();
      await database?.drop();
    },
  };
}
