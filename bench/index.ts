import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../lib/supergraph-config.ts';
import { startStack } from '../test/support/stack.ts';
import { authorizationCost, type Row } from './auth-cost.ts';
import { hotLookupCost } from './hot-lookup.ts';
import { rowRulesCost } from './row-rules.ts';

// `npm run bench [-- --quick] [-- --connections N --duration S --rounds R]`: prints a table, writes JSON.
const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, connections: { type: 'string' }, duration: { type: 'string' }, rounds: { type: 'string' } },
});
const connections = Number(values.connections ?? 20);
const durationSeconds = Number(values.duration ?? (values.quick ? 3 : 10));
const rounds = Number(values.rounds ?? (values.quick ? 1 : 3));

const stack = await startStack('postgres');
const rows: Row[] = [];
try {
  rows.push(...(await authorizationCost(stack, connections, durationSeconds, rounds)));
  rows.push(...(await hotLookupCost(stack, connections, durationSeconds, rounds)));
} finally {
  await stack.close();
}
rows.push(...(await rowRulesCost(connections, durationSeconds, rounds)));

// Each scenario's last row is its baseline: ratios compare variants measured in the same run.
const baselines = new Map(rows.map((row) => [row.scenario, row.result]));
const table = rows.map(({ scenario, variant, result }) => ({
  scenario,
  variant,
  'req/s': Math.round(result.requestsPerSecond),
  'p50 ms': result.p50,
  'p97.5 ms': result.p97_5,
  'p99 ms': result.p99,
  errors: result.errors,
  'req/s ratio': (result.requestsPerSecond / baselines.get(scenario)!.requestsPerSecond).toFixed(2),
  'p50 ratio': (result.p50 / Math.max(baselines.get(scenario)!.p50, 0.001)).toFixed(2),
}));
console.table(table);
const dir = resolve(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = resolve(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, connections, durationSeconds, rounds, rows }, null, 2));
console.log(`Wrote ${file}`);
