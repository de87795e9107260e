import { openDb } from '../subgraphs/kit/db/db.ts';
import type { Queryable } from '../subgraphs/kit/db/db.ts';
import { RowScope } from '../subgraphs/kit/index.ts';
import { personId, SEED_COUNTS } from '../subgraphs/kit/seed/seed-plan.ts';
import { WantedPersonRepository } from '../subgraphs/wanted-persons/wanted-person-repository.ts';
import type { BenchSeed } from './fleet.ts';
import { ANALYST, callerOf } from './partners.ts';

/** One statement the wanted-persons repository ran for the analyst, with PostgreSQL's plan for it. */
export interface ExplainedStatement {
  seed: BenchSeed;
  what: string;
  executionMs: number;
  rows: number;
  /** EXPLAIN (ANALYZE, BUFFERS) as text. */
  plan: string[];
}

const SEARCHES = ['muller', 'garcia jose', 'bjorn berg'];

/**
 * `--scenario explain`: the SQL of a lookup by id and of name searches, as the repository builds it
 * for the analyst (row rules included, no cache), run under EXPLAIN ANALYZE on the seed's wanted-persons
 * database, so a note can show why lookups stay flat and searches stay bounded as the register grows.
 */
export async function explainWantedPersons(seed: BenchSeed, databaseUrl: string): Promise<ExplainedStatement[]> {
  const db = await openDb({ url: databaseUrl });
  try {
    const caller = callerOf(ANALYST, 'bench-explain');
    const explained: ExplainedStatement[] = [];
    const explainEach = async (what: string, run: (repository: WantedPersonRepository) => Promise<unknown>) => {
      const statements: { sql: string; params: readonly unknown[] }[] = [];
      const capturing: Queryable = {
        query: (sql, params = []) => (statements.push({ sql, params }), db.query(sql, params)),
        exec: (sql) => db.exec(sql),
      };
      await run(new WantedPersonRepository(capturing, RowScope.for(caller)));
      for (const { sql, params } of statements) {
        const lines = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
        const plan = lines.map((line) => line['QUERY PLAN']);
        const executionMs = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1] ?? NaN);
        const rows = Number(/actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/.exec(plan[0] ?? '')?.[1] ?? NaN);
        explained.push({ seed, what, executionMs, rows, plan });
      }
    };
    await explainEach('lookup by id', (repository) => repository.findByIds([personId(Math.floor(SEED_COUNTS[seed].persons / 2))]));
    for (const name of SEARCHES)
      await explainEach(`search "${name}", first 20`, (repository) => repository.search({ name }, { limit: 20, after: null }));
    return explained;
  } finally {
    await db.close();
  }
}

/** The plans' first lines and execution times, as a table. */
export function explainTable(statements: readonly ExplainedStatement[]): string {
  const lines = ['| seed | statement | plan (top nodes) | rows | execution ms |', '|---|---|---|---|---|'];
  for (const { seed, what, plan, rows, executionMs } of statements) {
    // The plan's nodes (the first line, and each `->`), without their estimates: what ran, in order.
    const nodes = plan
      .filter((line, index) => index === 0 || line.includes('->'))
      .map((line) =>
        line
          .trim()
          .replace(/^->\s*/, '')
          .replace(/\s+\(cost=.*$/, ''),
      )
      .join(' → ');
    lines.push(`| ${seed} | ${what} | ${nodes} | ${rows} | ${executionMs.toFixed(2)} |`);
  }
  return lines.join('\n');
}
