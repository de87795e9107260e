import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { assertSameData } from './check.ts';
import { concurrencyChart } from './concurrency-chart.ts';
import { type Target, VARIANT_LABELS, type Variant } from './gateways.ts';
import { drive } from './load.ts';
import { openLoop } from './open-loop.ts';
import type { PartnerHeaders } from './partners.ts';
import type { Scenario } from './scenario.ts';

/** The variants and connection counts of `--scenario concurrency` unless `--variant` and `--levels` say otherwise. */
export const CONCURRENCY_VARIANTS: Variant[] = ['liaison', 'apollo', 'hive-rust', 'direct'];
export const CONCURRENCY_LEVELS = [1, 20, 50, 200];

/** One variant at one concurrency level; latencies in milliseconds. */
export interface ConcurrencyRow {
  variant: string;
  concurrency: number;
  /** The open-loop arrival rate, req/s; absent for closed-loop runs. */
  rate?: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  firstError?: string;
}

export interface SweepOptions {
  levels: number[];
  durationSeconds: number;
  warmupSeconds: number;
  /** Open loop at this many requests per second instead of a closed loop. */
  rate?: number | undefined;
  onRun?: (target: Target, level: number) => void;
}

/**
 * Runs `scenario` on every target at every level, level by level, the targets' order rotating per
 * level, so a burst of load from the machine's other tenants falls on all variants alike rather
 * than on one variant's whole curve. Every answer is checked as in the other scenarios.
 */
export async function concurrencySweep(
  scenario: Scenario,
  targets: Target[],
  headers: PartnerHeaders,
  options: SweepOptions,
): Promise<ConcurrencyRow[]> {
  const rows: ConcurrencyRow[] = [];
  for (const [index, level] of options.levels.entries()) {
    for (const target of targets.map((_, at) => targets[(at + index) % targets.length]!)) {
      options.onRun?.(target, level);
      await headers.refresh(scenario.partners);
      const task = async (_: number, user: number) => {
        const request = scenario.pick();
        assertSameData(await target.send(request, user), request.expected);
      };
      const run = { concurrency: level, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds };
      const result = options.rate === undefined ? await drive(task, run) : await openLoop(task, { ...run, rate: options.rate });
      rows.push({
        variant: VARIANT_LABELS[target.variant],
        concurrency: level,
        ...(options.rate !== undefined && { rate: options.rate }),
        requestsPerSecond: result.requestsPerSecond,
        p50: result.p50,
        p99: result.p99,
        errors: result.errors,
        requests: result.requests,
        ...(result.firstError && { firstError: result.firstError }),
      });
    }
  }
  // Grouped by variant for reading down one curve; runs alternated as above.
  const order = [...new Set(rows.map((row) => row.variant))];
  return rows.sort((a, b) => order.indexOf(a.variant) - order.indexOf(b.variant) || a.concurrency - b.concurrency);
}

/** A Markdown table of the sweep, one line per variant and level. */
export function concurrencyTable(rows: ConcurrencyRow[]): string {
  const header = ['variant', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const lines = rows.map((row) => [
    row.variant,
    String(row.concurrency),
    Math.round(row.requestsPerSecond).toLocaleString('en-US'),
    row.p50.toFixed(1),
    row.p99.toFixed(1),
    `${row.errors}${row.errors > 0 ? ` of ${row.requests.toLocaleString('en-US')}` : ''}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}

/**
 * Writes the rows as JSON and their chart as SVG beside the run's other results, and the chart again
 * to bench/charts/concurrency.svg, the tracked copy bench/README.md links (bench/results/ is ignored).
 */
export function writeConcurrency(rows: ConcurrencyRow[], dir: string, stamp: string): string[] {
  const json = resolve(dir, `concurrency-${stamp}.json`);
  const svg = resolve(dir, `concurrency-${stamp}.svg`);
  const charts = resolve(ROOT, 'bench/charts');
  mkdirSync(charts, { recursive: true });
  const chart = concurrencyChart(rows);
  writeFileSync(json, JSON.stringify(rows, null, 2));
  writeFileSync(svg, chart);
  writeFileSync(resolve(charts, 'concurrency.svg'), chart);
  return [json, svg, resolve(charts, 'concurrency.svg')];
}
