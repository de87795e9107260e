import { assertSameData } from './check.ts';
import type { Target } from './gateways.ts';
import { VARIANT_LABELS } from './gateways.ts';
import { drive, type DriveOptions, type LoadResult, median } from './load.ts';
import type { PartnerHeaders } from './partners.ts';
import type { Row } from './report.ts';
import type { Scenario } from './scenario.ts';

/** How each scenario is run on each target. */
export interface MeasureOptions extends DriveOptions {
  /** Alternating rounds; the median round is reported. */
  rounds: number;
  /** Called before each measured run, e.g. to print progress. */
  onRun?: (scenario: Scenario, target: Target, round: number) => void;
}

/**
 * Runs every scenario on every target in alternating rounds (the order rotates each round, so no
 * target always runs right after the heaviest), checking every answer against the expected one.
 * Each gateway's peak RSS is the highest seen over the scenario's runs; its CPU time per request is
 * that of the median round, a figure a busy shared machine barely moves.
 */
export async function measure(scenarios: Scenario[], targets: Target[], headers: PartnerHeaders, options: MeasureOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const scenario of scenarios) {
    const runs = new Map<Target, (LoadResult & { cpuMsPerRequest?: number })[]>(targets.map((target) => [target, []]));
    const peaks = new Map<Target, number>();
    for (let round = 0; round < options.rounds; round += 1) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length]!);
      for (const target of order) {
        options.onRun?.(scenario, target, round);
        await headers.refresh(scenario.partners);
        const task = async (_: number, user: number) => {
          const request = scenario.pick();
          assertSameData(await target.send(request, user), request.expected);
        };
        if (options.warmupSeconds) await drive(task, { concurrency: options.concurrency, durationSeconds: options.warmupSeconds });
        target.service?.resetPeak();
        const cpuBefore = target.service?.cpuMs() ?? Number.NaN;
        const result = await drive(task, { concurrency: options.concurrency, durationSeconds: options.durationSeconds });
        const cpu = ((target.service?.cpuMs() ?? Number.NaN) - cpuBefore) / Math.max(1, result.requests);
        runs.get(target)!.push({ ...result, ...(Number.isFinite(cpu) && { cpuMsPerRequest: cpu }) });
        if (target.service) peaks.set(target, Math.max(peaks.get(target) ?? 0, target.service.peakRssMb()));
      }
    }
    for (const target of targets) {
      const all = runs.get(target)!;
      // Rates and latencies from the median round; errors from every round, so none goes unseen.
      const errors = all.reduce((sum, run) => sum + run.errors, 0);
      const firstError = all.find((run) => run.firstError)?.firstError;
      const { cpuMsPerRequest, ...middle } = median(all);
      const result = { ...middle, errors, ...(firstError && { firstError }) };
      rows.push({ scenario: scenario.title, variant: VARIANT_LABELS[target.variant], result, peakRssMb: peaks.get(target), cpuMsPerRequest });
    }
  }
  return rows;
}
