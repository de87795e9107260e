import { assertSameData } from './check.ts';
import type { Target } from './gateways.ts';
import { VARIANT_LABELS } from './gateways.ts';
import { drive, type DriveOptions, type LoadResult, median } from './load.ts';
import type { PartnerHeaders } from './partners.ts';
import type { Service } from './processes.ts';
import type { Row } from './report.ts';
import type { Scenario } from './scenario.ts';

/** How each scenario is run on each target. */
export interface MeasureOptions extends DriveOptions {
  /** Alternating rounds; the median round is reported. */
  rounds: number;
  /** The subgraph processes, whose CPU time per request is reported beside the gateway's. */
  subgraphs: Service[];
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
    const runs = new Map<Target, (LoadResult & { cpuMsPerRequest?: number; subgraphCpuMsPerRequest: number })[]>(
      targets.map((target) => [target, []]),
    );
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
        const subgraphCpu = () => options.subgraphs.reduce((sum, service) => sum + service.cpuMs(), 0);
        let cpuBefore = Number.NaN;
        let subgraphsBefore = Number.NaN;
        // CPU and memory are read over the measured window only: the warm-up ends when it starts.
        const window = setTimeout(
          () => {
            target.service?.resetPeak();
            cpuBefore = target.service?.cpuMs() ?? Number.NaN;
            subgraphsBefore = subgraphCpu();
          },
          (options.warmupSeconds ?? 0) * 1000,
        );
        let cpuAfter = Number.NaN;
        let subgraphsAfter = Number.NaN;
        const close = setTimeout(
          () => {
            cpuAfter = target.service?.cpuMs() ?? Number.NaN;
            subgraphsAfter = subgraphCpu();
          },
          ((options.warmupSeconds ?? 0) + options.durationSeconds) * 1000,
        );
        const result = await drive(task, options);
        clearTimeout(window);
        clearTimeout(close);
        const perRequest = (ms: number) => ms / Math.max(1, result.requests);
        const cpu = perRequest(cpuAfter - cpuBefore);
        runs.get(target)!.push({
          ...result,
          ...(Number.isFinite(cpu) && { cpuMsPerRequest: cpu }),
          subgraphCpuMsPerRequest: perRequest(subgraphsAfter - subgraphsBefore),
        });
        if (target.service) peaks.set(target, Math.max(peaks.get(target) ?? 0, target.service.peakRssMb()));
      }
    }
    for (const target of targets) {
      const all = runs.get(target)!;
      // Rates and latencies from the median round; errors from every round, so none goes unseen.
      const errors = all.reduce((sum, run) => sum + run.errors, 0);
      const firstError = all.find((run) => run.firstError)?.firstError;
      const { cpuMsPerRequest, subgraphCpuMsPerRequest, ...middle } = median(all);
      const result = { ...middle, errors, ...(firstError && { firstError }) };
      rows.push({
        scenario: scenario.title,
        variant: VARIANT_LABELS[target.variant],
        result,
        peakRssMb: peaks.get(target),
        cpuMsPerRequest,
        subgraphCpuMsPerRequest,
      });
    }
  }
  return rows;
}
