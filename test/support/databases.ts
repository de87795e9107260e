import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, openDb } from '../../subgraphs/kit/db/db.ts';
import { testConfig } from './test-config.ts';

/** A database created for one test file on the real PostgreSQL server, dropped afterwards. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a fresh, uniquely named database (liaison_test_*) on the test PostgreSQL server. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `liaison_test_${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testConfig.TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testConfig.TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testConfig.TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The two database engines every repository test runs on: embedded PGlite (PG 18) and the server (PG 15). */
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** Opens an empty database of the given engine; `release` closes it and drops it. */
export async function openTestDb(engine: Engine, label: string): Promise<{ db: Db; release(): Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openDb({});
    return { db, release: () => db.close().catch(() => undefined) };
  }
  const database = await createTestDatabase(label);
  const db = await openDb({ url: database.url });
  return {
    db,
    async release() {
      // The subgraph under test may already have closed it.
      await db.close().catch(() => undefined);
      await database.drop();
    },
  };
}
