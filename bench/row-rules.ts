import pg from 'pg';
import { createLogger } from '../lib/logger.ts';
import { openDb, type Db } from '../subgraphs/kit/db.ts';
import { readPage } from '../subgraphs/kit/pagination.ts';
import { RowScope } from '../subgraphs/kit/row-scope.ts';
import { personId, SEED_COUNTS } from '../subgraphs/kit/seed-plan.ts';
import { WantedPersonRepository } from '../subgraphs/wanted-persons/wanted-person-repository.ts';
import { buildServer } from '../subgraphs/wanted-persons/server.ts';
import { identityKeys } from '../test/support/identity.ts';
import { testConfig } from '../test/support/test-config.ts';
import type { Row } from './auth-cost.ts';
import { type LoadResult, median } from './load.ts';

const DATABASE = 'liaison_bench_wanted_persons';
/** A French partner: a typical narrow grant, so the predicate has work to do. */
const PARTNER = RowScope.for({ principal: { subject: 'bench', agency: 'ESPN00001', scopes: new Set(), jurisdictions: ['FR', 'DE-BY'] }, purpose: null });
/** The same queries with the predicate reduced to `true`: what the rules cost is the difference. */
const UNFILTERED = { predicate: () => 'true', admits: () => true } as unknown as RowScope;
const NAMES = ['muller', 'garcia jose', 'dupont', 'lukasz', 'rossi', 'de vries', 'yilmaz', 'smith'];

/**
 * Row rules on the large seed (100k wanted persons on PostgreSQL): lookups of 20 ids and name
 * searches, filtered for a partner against the same SQL without the predicate, alternating rounds.
 * The seeded database is kept between runs (seeding takes a while) and reused when present.
 */
export async function rowRulesCost(concurrency: number, durationSeconds: number, rounds: number): Promise<Row[]> {
  const db = await openLargeSeed();
  const persons = SEED_COUNTS.large.persons;
  const lookup = (scope: RowScope, i: number) => new WantedPersonRepository(db, scope).findByIds(Array.from({ length: 20 }, (_, k) => personId(1 + ((i * 7919 + k * 104729) % persons))));
  const search = (scope: RowScope, i: number) => new WantedPersonRepository(db, scope).search({ name: NAMES[i % NAMES.length]! }, readPage({ first: 20 }));
  const rows: Row[] = [];
  try {
    for (const [scenario, run] of [['lookup 20 ids (large seed)', lookup], ['name search (large seed)', search]] as const) {
      const runs: Record<string, LoadResult[]> = { filtered: [], unfiltered: [] };
      for (let round = 0; round < rounds; round += 1) {
        runs.filtered!.push(await drive((i) => run(PARTNER, i), concurrency, durationSeconds));
        runs.unfiltered!.push(await drive((i) => run(UNFILTERED, i), concurrency, durationSeconds));
      }
      rows.push({ scenario, variant: 'row rules (FR + DE-BY partner)', result: median(runs.filtered!) }, { scenario, variant: 'no row rules', result: median(runs.unfiltered!) });
    }
  } finally {
    await db.close();
  }
  return rows;
}

async function openLargeSeed(): Promise<Db> {
  const admin = new pg.Client({ connectionString: testConfig.TEST_POSTGRES_URL });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
  if (exists.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const url = new URL(testConfig.TEST_POSTGRES_URL);
  url.pathname = `/${DATABASE}`;
  // Building the subgraph migrates and, on an empty database, seeds the large data set.
  const server = await buildServer({ db: await openDb({ url: url.toString() }), log: createLogger('bench', 'info'), seed: 'large', identityKeys: await identityKeys() });
  await server.close();
  return openDb({ url: url.toString() });
}

/** Runs `task` from `concurrency` loops for the duration; latencies in ms. */
async function drive(task: (i: number) => Promise<unknown>, concurrency: number, durationSeconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        await task(next++).catch(() => (errors += 1));
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2));
  return { requestsPerSecond: latencies.length / durationSeconds, p50: at(0.5), p97_5: at(0.975), p99: at(0.99), errors, requests: latencies.length };
}
