import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { SUBGRAPH_NODE_OPTIONS } from '../lib/config/node-options.ts';
import { ROOT, readSupergraphConfig, type SubgraphEntry } from '../lib/config/supergraph-config.ts';
import { testConfig } from '../test/support/test-config.ts';
import { type Service, startService } from './processes.ts';

/** The seed a benchmark runs on: the demo seed for smoke runs, the large one for the real table. */
export type BenchSeed = 'demo' | 'large' | 'xlarge';

/** The three subgraphs, each in its own process, as `npm start` runs them. */
export interface Fleet {
  label: string;
  /** Subgraph name to GraphQL URL. */
  urls: Record<string, string>;
  services: Service[];
  stop(): Promise<void>;
}

/**
 * The database a subgraph's benchmark data lives in. Its name carries a hash of everything that
 * decides the seeded rows (the subgraph's seed and migrations, the kit's seed helpers), so a
 * database is reused across runs, seeded once, and never reused after the seed changed.
 */
export function benchDatabaseName(entry: SubgraphEntry, seed: BenchSeed): string {
  const folder = resolve(ROOT, 'subgraphs', entry.name);
  const kit = resolve(ROOT, 'subgraphs/kit');
  const files = [
    ...readdirSync(folder)
      .filter((file) => file.startsWith('seed'))
      .map((file) => resolve(folder, file)),
    ...readdirSync(resolve(folder, 'migrations')).map((file) => resolve(folder, 'migrations', file)),
    // The kit keeps its seed helpers in seed/ and the bulk insert in db/.
    ...['seed', 'db'].flatMap((dir) =>
      readdirSync(resolve(kit, dir))
        .filter((file) => /^(seed|bulk-insert)/.test(file) && !file.endsWith('.test.ts'))
        .map((file) => resolve(kit, dir, file)),
    ),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.slice(ROOT.length)).update(readFileSync(file));
  return `${databasePrefix(entry, seed)}${hash.digest('hex').slice(0, 8)}`;
}

const databasePrefix = (entry: SubgraphEntry, seed: BenchSeed) => `liaison_bench_${seed}_${entry.name.replaceAll('-', '_')}_`;

/**
 * Creates the subgraphs' benchmark databases when missing and drops outdated ones (same subgraph and
 * seed, older hash), so stale copies of the large seed do not pile up. Returns each database's URL.
 */
export async function ensureBenchDatabases(seed: BenchSeed): Promise<Record<string, string>> {
  const admin = new pg.Client({ connectionString: testConfig.TEST_POSTGRES_URL });
  await admin.connect();
  try {
    const urls: Record<string, string> = {};
    for (const entry of readSupergraphConfig()) {
      const name = benchDatabaseName(entry, seed);
      const existing = await admin.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [
        databasePrefix(entry, seed),
      ]);
      for (const { datname } of existing.rows) if (datname !== name) await admin.query(`drop database if exists "${datname}"`);
      if (!existing.rows.some((row) => row.datname === name)) await admin.query(`create database "${name}"`);
      const url = new URL(testConfig.TEST_POSTGRES_URL);
      url.pathname = `/${name}`;
      urls[entry.name] = url.toString();
    }
    return urls;
  } finally {
    await admin.end();
  }
}

/** How one fleet is started. */
export interface FleetOptions {
  seed: BenchSeed;
  databases: Record<string, string>;
  /** Redis lookup cache under this key prefix; without it the subgraphs cache nothing. */
  redis?: { url: string; prefix: string };
  /** Extra Node flags for every subgraph, e.g. `--cpu-prof`. */
  execArgv?: string[];
  /** Suffix of the process names in the logs. */
  label: string;
  /** Without field rules, identity check and disclosure tracking (uncached only; see bench/uncached-subgraph.ts). */
  bare?: boolean;
}

/**
 * Starts every subgraph in its own process on its benchmark database. An empty database is migrated
 * and seeded by the subgraph itself on first start (the large seed takes a minute or two). With Redis
 * the subgraphs run their shipped entry (`subgraphs/<name>/index.ts`); without, an entry identical
 * but for the cache (bench/uncached-subgraph.ts), since a shipped subgraph always caches.
 */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const services = await Promise.all(
    readSupergraphConfig().map((entry) =>
      startService({
        name: `${entry.name}-${options.label}`,
        entry: options.redis ? resolve(ROOT, 'subgraphs', entry.name, 'index.ts') : resolve(ROOT, 'bench/uncached-subgraph.ts'),
        execArgv: ['--import', 'tsx', SUBGRAPH_NODE_OPTIONS, ...(options.execArgv ?? [])],
        env: {
          ...process.env,
          BENCH_SUBGRAPH: entry.name,
          BENCH_BARE: options.bare ? '1' : '0',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          SEED: options.seed,
          DATABASE_URL: options.databases[entry.name],
          ...(options.redis ? { REDIS_URL: options.redis.url, CACHE_KEY_PREFIX: options.redis.prefix } : {}),
        },
        timeoutMs: 600_000,
      }),
    ),
  );
  return {
    label: options.label,
    urls: Object.fromEntries(readSupergraphConfig().map((entry, index) => [entry.name, services[index]!.url])),
    services,
    stop: async () => void (await Promise.all(services.map((service) => service.stop()))),
  };
}
