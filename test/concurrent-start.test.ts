import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { type Db, openDb } from '../subgraphs/kit/db/db.ts';
import { type BuiltSubgraph, SEED_COUNTS } from '../subgraphs/kit/index.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { createTestDatabase } from './support/databases.ts';
import { askSubgraph, identityKeys, registerSubgraphUrl } from './support/identity.ts';
import { testConfig } from './support/test-config.ts';

// Two replicas of a subgraph starting at the same moment on one fresh PostgreSQL database, as a
// Deployment scaled to two does: each migrates as the owner, seeds the empty database and grants its
// application role, then serves. Both must start, and the data must be there exactly once.
const ROUNDS = 3;
const REPLICAS = 2;
const MIGRATIONS = ['subgraphs/kit/migrations', 'subgraphs/wanted-persons/migrations'].flatMap((dir) =>
  readdirSync(resolve(ROOT, dir)).filter((file) => file.endsWith('.sql')),
);

async function asServerAdmin(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: testConfig.TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

const role = `liaison_test_replica_${randomBytes(4).toString('hex')}`;
beforeAll(() => asServerAdmin(`create role ${role} login`));
afterAll(() => asServerAdmin(`drop role if exists ${role}`));

/** One replica: its own pools, as the owner (migrations, seed, grants) and as the application role. */
async function startReplica(url: string): Promise<{ server: BuiltSubgraph; url: string }> {
  const appUrl = new URL(url);
  appUrl.username = role;
  const owner = await openDb({ url });
  try {
    const server = await buildServer({
      db: await openDb({ url: appUrl.toString() }),
      migrationDb: owner,
      log: createLogger('test', 'silent'),
      seed: 'demo',
      identityKeys: await identityKeys(),
    });
    const listening = await server.listen(0, '127.0.0.1');
    registerSubgraphUrl(listening, server.name);
    return { server, url: listening };
  } finally {
    await owner.close();
  }
}

const count = async (db: Db, table: string) => Number((await db.query<{ n: string }>(`select count(*) as n from ${table}`))[0]!.n);

describe('replicas starting together on one PostgreSQL database', () => {
  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: both start, migrations are applied once, the demo data is seeded exactly once',
    async () => {
      const database = await createTestDatabase('concurrent_start');
      const started: BuiltSubgraph[] = [];
      const db = await openDb({ url: database.url });
      try {
        const outcomes = await Promise.allSettled(Array.from({ length: REPLICAS }, () => startReplica(database.url)));
        for (const outcome of outcomes) if (outcome.status === 'fulfilled') started.push(outcome.value.server);
        expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'started'))).toEqual(
          Array(REPLICAS).fill('started'),
        );

        expect(await count(db, 'wanted_person')).toBe(SEED_COUNTS.demo.persons);
        expect(await count(db, 'seed_state')).toBe(1);
        expect(await count(db, 'schema_migrations')).toBe(MIGRATIONS.length);
        for (const outcome of outcomes) {
          const { url } = (outcome as PromiseFulfilledResult<{ url: string }>).value;
          const answer = await askSubgraph(url, '{ wantedPerson(id: "W000000001") { id } }');
          expect(answer.data).toEqual({ wantedPerson: { id: 'W000000001' } });
        }
      } finally {
        await Promise.all(started.map((server) => server.close().catch(() => undefined)));
        await db.close();
        await database.drop();
      }
    },
  );
});
