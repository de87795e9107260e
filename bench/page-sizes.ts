import type { Subgraphs } from './direct.ts';
import type { BenchSeed } from './fleet.ts';
import { ANALYST } from './partners.ts';
import type { Row } from './report.ts';
import { anyOf, type Scenario } from './scenario.ts';
import { nestedRequests } from './scenarios/nested.ts';

/** The nested page's sizes `--scenario page-sizes` measures: cost per page should grow linearly with it. */
export const PAGE_SIZES = [5, 20, 50, 100] as const;

const titleOf = (size: number) => `nested page of ${size} cases (no cache)`;

/** One nested scenario per page size, `pages` pages each spread over the seed. */
export async function pageSizeScenarios(seed: BenchSeed, pages: number, direct: Subgraphs): Promise<Scenario[]> {
  const scenarios: Scenario[] = [];
  for (const size of PAGE_SIZES) {
    const requests = await nestedRequests(seed, pages, direct, size);
    scenarios.push({ key: `nested-${size}`, title: titleOf(size), cached: false, partners: [ANALYST], pick: anyOf(requests) });
  }
  return scenarios;
}

/** Per variant and page size: CPU per page and per case, gateway's and subgraphs', from the measured rows. */
export function pageSizeTable(rows: readonly Row[]): string {
  const lines = [
    '| cases a page | variant | pages/s | gateway CPU ms/page | subgraphs CPU ms/page | subgraphs CPU ms/case |',
    '|---|---|---|---|---|---|',
  ];
  for (const size of PAGE_SIZES) {
    for (const row of rows.filter((each) => each.scenario === titleOf(size))) {
      const perCase = row.subgraphCpuMsPerRequest === undefined ? '–' : (row.subgraphCpuMsPerRequest / size).toFixed(3);
      lines.push(
        `| ${size} | ${row.variant} | ${row.result.requestsPerSecond.toFixed(1)} | ${row.cpuMsPerRequest?.toFixed(2) ?? '–'} | ${row.subgraphCpuMsPerRequest?.toFixed(1) ?? '–'} | ${perCase} |`,
      );
    }
  }
  return lines.join('\n');
}

/** Whether a row belongs to the page-size sweep (printed in its own table, not the main one). */
export const isPageSizeRow = (row: Row): boolean => PAGE_SIZES.some((size) => row.scenario === titleOf(size));
