import { openDb, type Db } from '../subgraphs/kit/db/db.ts';
import { readPage } from '../subgraphs/kit/rows/pagination.ts';
import { RowScope } from '../subgraphs/kit/rows/row-scope.ts';
import { personId, SEED_COUNTS } from '../subgraphs/kit/seed/seed-plan.ts';
import { WantedPersonRepository } from '../subgraphs/wanted-persons/wanted-person-repository.ts';
import { ensureBenchDatabases, startFleet } from './fleet.ts';
import { drive, type LoadResult, median } from './load.ts';
import type { Row } from './report.ts';

/** A French partner: a typical narrow grant, so the predicate has work to do. */
const PARTNER = RowScope.for({
  principal: { subject: 'bench', agency: 'ESPN00001', scopes: new Set(), jurisdictions: ['FR', 'DE-BY'] },
  purpose: null,
});
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
  const lookup = (scope: RowScope, i: number) =>
    new WantedPersonRepository(db, scope).findByIds(
      Array.from({ length: 20 }, (_, k) => personId(1 + ((i * 7919 + k * 104729) % persons))),
    );
  const search = (scope: RowScope, i: number) =>
    new WantedPersonRepository(db, scope).search({ name: NAMES[i % NAMES.length]! }, readPage({ first: 20 }));
  const rows: Row[] = [];
  try {
    for (const [scenario, run] of [
      ['lookup 20 ids (large seed)', lookup],
      ['name search (large seed)', search],
    ] as const) {
      const runs: Record<string, LoadResult[]> = { filtered: [], unfiltered: [] };
      for (let round = 0; round < rounds; round += 1) {
        runs.filtered!.push(await drive((i) => run(PARTNER, i), { concurrency, durationSeconds }));
        runs.unfiltered!.push(await drive((i) => run(UNFILTERED, i), { concurrency, durationSeconds }));
      }
      rows.push(
        { scenario, variant: 'row rules (FR + DE-BY partner)', result: median(runs.filtered!) },
        { scenario, variant: 'no row rules', result: median(runs.unfiltered!) },
      );
    }
  } finally {
    await db.close();
  }
  return rows;
}

/** The wanted-persons database of the large seed, seeded by its subgraph on first use and kept. */
async function openLargeSeed(): Promise<Db> {
  const databases = await ensureBenchDatabases('large');
  // Starting the fleet migrates and, on empty databases, seeds the large data set.
  await (await startFleet({ seed: 'large', databases, label: 'seed' })).stop();
  return openDb({ url: databases['wanted-persons']! });
}
