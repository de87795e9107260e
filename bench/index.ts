import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { deleteKeys } from '../test/support/redis-keys.ts';
import { testConfig } from '../test/support/test-config.ts';
import { Subgraphs } from './direct.ts';
import { ensureBenchDatabases, type Fleet, startFleet } from './fleet.ts';
import { compileGateways } from './compiled-gateways.ts';
import { BASELINE, type ExecArgv, startTargets, type Target, VARIANT_LABELS, VARIANTS, type Variant } from './gateways.ts';
import { measure } from './measure.ts';
import { ANALYST, BORDER, PartnerHeaders } from './partners.ts';
import { ensurePeersInstalled } from './peers.ts';
import { errorNotes, markdownTable, type Row } from './report.ts';
import { rowRulesCost } from './row-rules.ts';
import { PROTECTIONS_BASELINE, protectionsCost } from './protections.ts';
import { AUDIT_BASELINE, auditCost } from './audit-cost.ts';
import { CACHE_CRYPTO_BASELINE, cacheEncryptionCost, personsOf } from './cache-encryption.ts';
import { IDENTITY_BASELINE, identitySigningCost, identityTable } from './identity-signing.ts';
import type { Scenario } from './scenario.ts';
import { cacheCounts } from './scenarios/cache-metrics.ts';
import {
  CONCURRENCY_LEVELS,
  CONCURRENCY_VARIANTS,
  type ConcurrencyRow,
  concurrencySweep,
  concurrencyTable,
  writeConcurrency,
} from './concurrency.ts';
import { lookupRequests, lookupScenario } from './scenarios/lookups.ts';
import { mixedScenario } from './scenarios/mixed.ts';
import { nestedRequests } from './scenarios/nested.ts';
import { searchRequests } from './scenarios/search.ts';
import { type SubscriptionRow, subscriptionFanout, subscriptionTable } from './scenarios/subscriptions.ts';
import { anyOf } from './scenario.ts';
import { isPageSizeRow, pageSizeScenarios, pageSizeTable } from './page-sizes.ts';
import { explainTable, explainWantedPersons } from './explain.ts';

// `npm run bench [-- --quick] [-- --connections N --duration S --rounds R --scenario a,b --variant x,y --profile --profile-subgraphs]`
// `npm run bench -- --liaison-node-options=--max-old-space-size=256` (with `=`: the value starts with a dash)
// `npm run bench -- --scenario concurrency [--levels 1,20,50,200] [--rate R]`
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    connections: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string' },
    scenario: { type: 'string' },
    variant: { type: 'string' },
    profile: { type: 'boolean', default: false },
    'profile-subgraphs': { type: 'boolean', default: false },
    'liaison-node-options': { type: 'string' },
    subscribers: { type: 'string' },
    writes: { type: 'string' },
    levels: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
  },
});
const quick = values.quick;
const seed = z.enum(['demo', 'large', 'xlarge']).parse(values.seed ?? (quick ? 'demo' : 'large'));
// Quick runs are smoke runs: fewer connections keep a deep query's tail short on a busy machine.
const connections = Number(values.connections ?? (quick ? 20 : 50));
const durationSeconds = Number(values.duration ?? (quick ? 2 : 10));
const warmupSeconds = Number(values.warmup ?? (quick ? 1 : 2));
const rounds = Number(values.rounds ?? (quick ? 1 : 3));
const wantedScenarios = values.scenario?.split(',') ?? [
  'nested',
  'lookups',
  'search',
  'lookups-cached',
  'mixed',
  'cache-crypto',
  'identity',
  'subscriptions',
  ...(quick ? [] : ['row-rules', 'audit', 'protections']),
];
const onlyConcurrency = wantedScenarios.every((key) => key === 'concurrency');
const variants = (values.variant?.split(',') ??
  (onlyConcurrency
    ? CONCURRENCY_VARIANTS
    : ['liaison', 'apollo', 'hive', 'hive-rust', 'direct', ...(quick ? [] : ['liaison-unenforced'])])) as Variant[];
const sweepVariants = values.variant === undefined ? CONCURRENCY_VARIANTS : variants;
const levels = values.levels?.split(',').map(Number) ?? CONCURRENCY_LEVELS;
const rate = values.rate === undefined ? undefined : Number(values.rate);
if (levels.some((level) => !(level >= 1)) || (rate !== undefined && !(rate > 0)))
  throw new Error('--levels and --rate take positive numbers');
for (const variant of variants)
  if (!VARIANTS.includes(variant)) throw new Error(`--variant: unknown ${variant}; one of ${VARIANTS.join(', ')}`);
// The floor proxy answers single-subgraph operations only: it runs in its own scenario, never beside the nested page.
if (variants.includes('floor')) throw new Error('--variant: floor runs only in --scenario floor, which adds it');
const started = Date.now();
const progress = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);

// --profile: CPU profiles of Liaison's gateway and of plain @apollo/gateway under load, one folder each,
// for `node --cpu-prof` analysis side by side.
const profileDir = resolve(ROOT, 'bench/results/profiles');
const cpuProfile = (variant: Variant) => ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir, variant)}`];
// --liaison-node-options=--max-old-space-size=256: V8 flags (space-separated) for Liaison's gateways only, to price a heap setting.
const liaisonFlags = values['liaison-node-options']?.split(' ').filter(Boolean) ?? [];
const execArgv: ExecArgv = {
  liaison: [...(values.profile ? cpuProfile('liaison') : []), ...liaisonFlags],
  'liaison-unenforced': liaisonFlags,
  apollo: values.profile ? cpuProfile('apollo') : [],
};
// --profile-subgraphs: the same for every subgraph process of the uncached fleet.
const fleetArgv = values['profile-subgraphs'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir, 'subgraphs')}`] : [];

// The peers run only in the gateway scenarios: a run of the in-process rows alone installs nothing.
const gatewayScenarios = ['nested', 'lookups', 'search', 'lookups-cached', 'mixed', 'concurrency', 'page-sizes', 'kit-cost', 'floor'];
const versions: Record<string, string> =
  variants.some((variant) => variant.startsWith('hive')) && wantedScenarios.some((key) => gatewayScenarios.includes(key))
    ? ensurePeersInstalled()
    : {};
// Liaison and the plain @apollo/gateway run compiled, as deployed; Hive's gateways are JavaScript already.
const compiledDir = wantedScenarios.some((key) => gatewayScenarios.includes(key)) ? compileGateways() : '';
progress(`seed ${seed}, ${connections} connections, ${rounds} round(s) of ${warmupSeconds} s warm-up + ${durationSeconds} s per variant`);
const databases = await ensureBenchDatabases(seed);
const wants = (key: string) => wantedScenarios.includes(key);
// Pools and users for the sweep's widest level; the other scenarios use `connections` of them.
const poolSize = Math.max(connections, ...(wants('concurrency') ? levels : []));
const headers = await PartnerHeaders.create(poolSize);
const sizes = quick ? { pages: 12, perKind: 100, cases: 30 } : { pages: 40, perKind: 1_000, cases: 200 };
const rows: Row[] = [];
const notes: string[] = [];
const sweep: ConcurrencyRow[] = [];

/** Starts the gateways on a fleet, measures, and stops the fleet and the gateways, whatever happens. */
async function phase(
  fleet: Fleet,
  scenariosOf: (direct: Subgraphs) => Promise<Scenario[]>,
  after?: (fleet: Fleet, targets: Target[]) => Promise<void>,
  phaseVariants: readonly Variant[] = variants,
) {
  const direct = new Subgraphs(fleet.urls, poolSize, headers);
  try {
    progress(`subgraphs ready (${fleet.label}); preparing requests and their expected answers`);
    // Identities live a minute, and seeding a fresh database takes longer.
    await headers.refresh([ANALYST, BORDER]);
    const scenarios = await scenariosOf(direct);
    if (scenarios.length === 0 && !after) return;
    const { targets, failed } = await startTargets([...phaseVariants], fleet, direct, headers, poolSize, compiledDir, execArgv);
    try {
      progress(`gateways ready: ${targets.map((target) => target.variant).join(', ')}`);
      for (const { variant, reason } of failed) notes.push(`${VARIANT_LABELS[variant]} did not start: ${reason}`);
      rows.push(
        ...(await measure(scenarios, targets, headers, {
          concurrency: connections,
          durationSeconds,
          warmupSeconds,
          rounds,
          subgraphs: fleet.services,
          onRun: (scenario, target, round) => progress(`${scenario.key} / ${target.variant}${rounds > 1 ? ` (round ${round + 1})` : ''}`),
        })),
      );
      for (const scenario of scenarios) {
        for (const { variant } of failed)
          rows.push({
            scenario: scenario.title,
            variant: VARIANT_LABELS[variant],
            result: { requestsPerSecond: 0, p50: 0, p95: 0, p99: 0, errors: 0, requests: 0 },
            note: 'did not start (see notes)',
          });
      }
      await after?.(fleet, targets);
    } finally {
      await Promise.all(targets.map((target) => target.close()));
    }
  } finally {
    await direct.close();
    await fleet.stop();
  }
}

let nested: Awaited<ReturnType<typeof nestedRequests>> = [];
let lookups: Awaited<ReturnType<typeof lookupRequests>> = [];
let searches: Awaited<ReturnType<typeof searchRequests>> = [];

/** `--scenario concurrency`: the uncached hot lookups at each level, after the phase's other scenarios. */
async function sweepConcurrency(_: Fleet, targets: Target[]) {
  const begun = Date.now();
  const swept = targets.filter((target) => sweepVariants.includes(target.variant));
  const options = { levels, durationSeconds, warmupSeconds, rate };
  const onRun = (target: Target, level: number) => progress(`concurrency ${level} / ${target.variant}`);
  sweep.push(...(await concurrencySweep(lookupScenario(lookups, false), swept, headers, { ...options, onRun })));
  notes.push(`The concurrency sweep took ${Math.round((Date.now() - begun) / 1000)} s.`);
  for (const row of sweep) if (row.firstError) notes.push(`concurrency ${row.concurrency} / ${row.variant}: ${row.firstError}`);
}

const NESTED_TITLE = 'nested: cases→subjects→cases→property→case, 20/page (no cache)';
/** What `--scenario kit-cost` runs on the bare subgraphs, and how their rows are labelled. */
const BARE_VARIANTS: readonly Variant[] = ['liaison', 'direct'];
/** What `--scenario floor` compares the floor proxy with. */
const FLOOR_VARIANTS: readonly Variant[] = ['liaison', 'apollo', 'hive-rust', 'direct'];
const BARE_LABEL = 'bare subgraphs (no field rules, identity check, disclosures)';

const redisPrefix = `liaison-bench-${randomBytes(4).toString('hex')}`;
const wantsCached = wants('lookups-cached') || wants('mixed');
// The first fleet migrates and seeds fresh databases; the second starts on them while the first
// phase prepares its requests, and waits idle for its turn.
const uncachedFleet = await startFleet({ seed, databases, label: 'uncached', execArgv: fleetArgv });
const cachedFleetStarting = wantsCached
  ? startFleet({ seed, databases, label: 'cached', redis: { url: testConfig.TEST_REDIS_URL, prefix: redisPrefix } })
  : Promise.resolve(undefined);
cachedFleetStarting.catch(() => undefined);
await phase(
  uncachedFleet,
  async (direct) => {
    const needNested = wants('nested') || wants('mixed') || wants('kit-cost');
    const needLookups =
      wants('lookups') || wants('lookups-cached') || wants('mixed') || wants('concurrency') || wants('kit-cost') || wants('floor');
    nested = needNested ? await nestedRequests(seed, sizes.pages, direct) : [];
    lookups = needLookups ? await lookupRequests(seed, sizes.perKind, databases['stolen-property']!, direct) : [];
    searches = wants('search') || wants('mixed') || wants('floor') ? await searchRequests(direct) : [];
    await cachedFleetStarting;
    return [
      ...(wants('nested')
        ? [
            {
              key: 'nested',
              title: NESTED_TITLE,
              cached: false,
              partners: [ANALYST],
              pick: anyOf(nested),
            },
          ]
        : []),
      ...(wants('lookups') ? [lookupScenario(lookups, false)] : []),
      ...(wants('search')
        ? [{ key: 'search', title: 'search wanted persons by name', cached: false, partners: [ANALYST], pick: anyOf(searches) }]
        : []),
      ...(wants('page-sizes') ? await pageSizeScenarios(seed, sizes.pages, direct) : []),
    ];
  },
  wants('concurrency') ? sweepConcurrency : undefined,
);

// `--scenario kit-cost`: the nested page and the hot lookups again, on subgraphs without field rules,
// identity check and disclosure tracking, through Liaison and directly: the kit's price per request.
if (wants('kit-cost')) {
  const measured = rows.length;
  await phase(
    await startFleet({ seed, databases, label: 'bare', bare: true }),
    async () => [
      { key: 'nested', title: NESTED_TITLE, cached: false, partners: [ANALYST], pick: anyOf(nested) },
      lookupScenario(lookups, false),
    ],
    undefined,
    BARE_VARIANTS.filter((variant) => variants.includes(variant)),
  );
  for (const row of rows.slice(measured)) row.variant = `${row.variant}, ${BARE_LABEL}`;
}

// `--scenario floor`: the hot lookups and the name search again, on a fresh uncached fleet, through
// Liaison, plain @apollo/gateway and the least a Node gateway can do (bench/gateways/floor-proxy.ts).
if (wants('floor')) {
  await phase(
    await startFleet({ seed, databases, label: 'floor' }),
    async () => {
      const lookup = lookupScenario(lookups, false);
      return [
        { ...lookup, title: `${lookup.title}, floor run` },
        { key: 'search', title: 'search wanted persons by name, floor run', cached: false, partners: [ANALYST], pick: anyOf(searches) },
      ];
    },
    undefined,
    [...FLOOR_VARIANTS.filter((variant) => variants.includes(variant)), 'floor'],
  );
}

const cachedFleet = await cachedFleetStarting;
try {
  if (cachedFleet) {
    await phase(
      cachedFleet,
      async (direct) => [
        ...(wants('lookups-cached') ? [lookupScenario(lookups, true)] : []),
        ...(wants('mixed') ? [await mixedScenario(seed, sizes.cases, { lookups, searches, nested }, direct)] : []),
      ],
      async (fleet) => {
        const { hits, misses } = await cacheCounts(fleet.urls);
        notes.push(
          `Redis lookup cache hit rate over the cached scenarios: ${((100 * hits) / Math.max(1, hits + misses)).toFixed(1)}% (${hits} hits, ${misses} misses, from the subgraphs' /metrics)`,
        );
      },
    );
  }
} finally {
  await deleteKeys(redisPrefix);
}

// The databases were seeded by the first fleet; the plans are read with no load running.
const explained = wants('explain') ? await explainWantedPersons(seed, databases['wanted-persons']!) : [];
const rowRules = wants('row-rules') ? await rowRulesCost(connections, durationSeconds, rounds) : [];
const protecting = wants('protections') ? await protectionsCost(connections, durationSeconds, warmupSeconds, rounds) : [];
const auditing = wants('audit') ? await auditCost(connections, durationSeconds, warmupSeconds, rounds) : [];
const sealing = wants('cache-crypto')
  ? await cacheEncryptionCost(databases['wanted-persons']!, personsOf(seed), connections, durationSeconds, warmupSeconds, rounds)
  : [];
// Subscriptions: every delivery is a federated lookup of the record as its subscriber, with an audit
// entry (even with the event's own fields only: that lookup decides whether it may hear of the event),
// so the write rate is set for subscribers × rate to stay near what this machine resolves: 1,000
// subscribers and 20 notices at 0.5/s with the event's fields (quick: 100, 10 at 2/s), 200
// subscribers and 20 at 1/s with the record's fields too (quick: 50, 10 at 2/s).
const fanout: SubscriptionRow[] = [];
if (wants('subscriptions')) {
  const subscribers = values.subscribers === undefined ? undefined : Number(values.subscribers);
  const writes = values.writes === undefined ? undefined : Number(values.writes);
  const runs = [
    { subscribers: quick ? 100 : 1_000, writes: quick ? 10 : 20, writesPerSecond: quick ? 2 : 0.5, selection: 'event fields' as const },
    { subscribers: quick ? 50 : 200, writes: quick ? 10 : 20, writesPerSecond: quick ? 2 : 1, selection: 'with the record' as const },
  ];
  for (const run of runs)
    fanout.push(await subscriptionFanout({ ...run, subscribers: subscribers ?? run.subscribers, writes: writes ?? run.writes }, progress));
}
const identity = wants('identity') ? await identitySigningCost(connections, durationSeconds, warmupSeconds, rounds) : undefined;
const signing = identity?.rows ?? [];
notes.push(...(identity?.notes ?? []));

const table = markdownTable(
  rows.filter((row) => !isPageSizeRow(row)),
  VARIANT_LABELS[BASELINE],
);
const pageSizes = rows.filter(isPageSizeRow);
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
if (rows.length > pageSizes.length) process.stdout.write(`\n${table}\n`);
if (pageSizes.length > 0) process.stdout.write(`\nHow cost grows with the nested page's size (no cache):\n${pageSizeTable(pageSizes)}\n`);
if (rowRules.length > 0)
  process.stdout.write(
    `\nRow rules (repository on the large seed, ratio against no row rules):\n${markdownTable(rowRules, 'no row rules')}\n`,
  );
if (protecting.length > 0)
  process.stdout.write(`\nProtections (ratio against ${PROTECTIONS_BASELINE}):\n${markdownTable(protecting, PROTECTIONS_BASELINE)}\n`);
if (auditing.length > 0)
  process.stdout.write(`\nAudit trail (ratio against ${AUDIT_BASELINE}):\n${markdownTable(auditing, AUDIT_BASELINE)}\n`);
if (sealing.length > 0)
  process.stdout.write(
    `\nLookup cache encryption (in-process, ratio against ${CACHE_CRYPTO_BASELINE}; the CPU column is this process's, per lookup):\n${markdownTable(sealing, CACHE_CRYPTO_BASELINE)}\n`,
  );
if (signing.length > 0)
  process.stdout.write(
    `\nIdentity signing (in-process, ratio against ${IDENTITY_BASELINE}; CPU is this process's, per subgraph fetch):\n${identityTable(signing)}\n`,
  );
if (fanout.length > 0)
  process.stdout.write(
    `\nSubscriptions (in-process gateway and subgraphs, subscribers in a child process; latency is receipt minus the event's \`at\`; RSS is the gateway process's):\n${subscriptionTable(fanout)}\n`,
  );
if (explained.length > 0)
  process.stdout.write(`\nWanted-persons SQL for the analyst under EXPLAIN ANALYZE (no load):\n${explainTable(explained)}\n`);
if (sweep.length > 0)
  process.stdout.write(
    `\nHow cost grows with concurrency (uncached hot lookups, ${rate === undefined ? 'closed loop' : `open loop at ${rate} req/s, latency from each request's due time`}; ${warmupSeconds} s warm-up + ${durationSeconds} s per level):\n${concurrencyTable(sweep)}\n`,
  );
for (const row of fanout) if (row.firstError) notes.push(`${row.scenario}: ${row.firstError}`);
for (const note of [...notes, ...errorNotes([...rows, ...rowRules, ...protecting, ...auditing, ...sealing, ...signing])])
  process.stdout.write(`- ${note}\n`);
process.stdout.write(
  `\nRatios against ${VARIANT_LABELS[BASELINE]}. Versions: ${Object.entries(versions)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}. ${machine.cpus} cores, Node ${machine.node}. Took ${Math.round((Date.now() - started) / 1000)} s.\n`,
);
const dir = resolve(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = resolve(dir, `bench-${stamp}.json`);
writeFileSync(
  file,
  JSON.stringify(
    {
      machine,
      versions,
      seed,
      connections,
      durationSeconds,
      warmupSeconds,
      rounds,
      baseline: VARIANT_LABELS[BASELINE],
      rows,
      rowRules,
      protections: protecting,
      auditing,
      cacheEncryption: sealing,
      identitySigning: signing,
      subscriptions: fanout,
      explained,
      notes,
    },
    null,
    2,
  ),
);
process.stdout.write(`Wrote ${file}\n`);
if (sweep.length > 0) process.stdout.write(`Wrote ${writeConcurrency(sweep, dir, stamp).join(', ')}\n`);
