import type { LoadResult } from './load.ts';

/** One line of the table: a scenario measured on one variant. */
export interface Row {
  scenario: string;
  variant: string;
  result: LoadResult;
  /** The gateway process's peak resident memory during the scenario's runs, in MB. */
  peakRssMb?: number | undefined;
  /** The gateway process's CPU time per request in the median round, in ms. */
  cpuMsPerRequest?: number | undefined;
  /** The subgraph processes' CPU time per request in the median round, in ms (all subgraphs together). */
  subgraphCpuMsPerRequest?: number | undefined;
  /** Why a variant has no numbers (e.g. a peer that cannot run this supergraph). */
  note?: string | undefined;
}

const ratio = (value: number, base: number | undefined) => (base && Number.isFinite(value / base) ? `×${(value / base).toFixed(2)}` : '');
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * A Markdown table: each figure with its ratio against the scenario's baseline row (plain
 * @apollo/gateway for the gateway comparison), so it can be pasted into bench/README.md as printed.
 */
export function markdownTable(rows: Row[], baselineVariant: string): string {
  const baselines = new Map(rows.filter((row) => row.variant === baselineVariant).map((row) => [row.scenario, row]));
  const header = [
    'scenario',
    'variant',
    'req/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'errors',
    'peak RSS MB',
    'gateway CPU ms/req',
    'subgraphs CPU ms/req',
  ];
  const lines = rows.map((row) => {
    const base = baselines.get(row.scenario);
    if (row.note) return [row.scenario, row.variant, row.note, '', '', '', '', '', '', ''];
    const { result } = row;
    return [
      row.scenario,
      row.variant,
      `${thousands(result.requestsPerSecond)} ${ratio(result.requestsPerSecond, base?.result.requestsPerSecond)}`,
      `${result.p50.toFixed(1)} ${ratio(result.p50, base?.result.p50)}`,
      `${result.p95.toFixed(1)} ${ratio(result.p95, base?.result.p95)}`,
      `${result.p99.toFixed(1)} ${ratio(result.p99, base?.result.p99)}`,
      `${result.errors}${result.errors > 0 ? ` of ${thousands(result.requests)}` : ''}`,
      row.peakRssMb === undefined ? '–' : `${row.peakRssMb} ${ratio(row.peakRssMb, base?.peakRssMb)}`,
      row.cpuMsPerRequest === undefined ? '–' : `${row.cpuMsPerRequest.toFixed(2)} ${ratio(row.cpuMsPerRequest, base?.cpuMsPerRequest)}`,
      row.subgraphCpuMsPerRequest === undefined ? '–' : row.subgraphCpuMsPerRequest.toFixed(2),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}

/** The first failure of every row that had errors, so a red table says why. */
export function errorNotes(rows: Row[]): string[] {
  return rows
    .filter((row) => row.result.errors > 0 && row.result.firstError)
    .map((row) => `${row.scenario} / ${row.variant}: ${row.result.firstError}`);
}
