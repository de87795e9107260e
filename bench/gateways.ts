import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, readSupergraphConfig, SUPERGRAPH_GRAPHQL } from '../lib/config/supergraph-config.ts';
import { DEV_KEYS_DIR } from '../lib/identity/dev-keys.ts';
import { dataOf } from './check.ts';
import type { Subgraphs } from './direct.ts';
import type { Fleet } from './fleet.ts';
import { GraphqlEndpoint } from './load.ts';
import { ANALYST, type PartnerHeaders } from './partners.ts';
import { PEERS_DIR } from './peers.ts';
import { type Service, startService } from './processes.ts';
import type { BenchRequest } from './scenario.ts';

/** The gateways compared, and the subgraphs asked directly. */
export const VARIANTS = ['liaison', 'apollo', 'hive', 'hive-rust', 'direct', 'liaison-unenforced', 'floor'] as const;
export type Variant = (typeof VARIANTS)[number];

/** The variant every ratio is relative to. */
export const BASELINE: Variant = 'apollo';

export const VARIANT_LABELS: Record<Variant, string> = {
  liaison: 'Liaison',
  apollo: 'plain @apollo/gateway',
  hive: 'Hive Gateway',
  'hive-rust': 'Hive Gateway + Rust planner',
  direct: 'subgraphs directly',
  'liaison-unenforced': 'Liaison, field-rule filter off',
  floor: 'floor: a bare Node proxy',
};

/** Something the benchmark sends requests to. */
export interface Target {
  variant: Variant;
  /** The gateway's process; none for the direct variant. */
  service: Service | undefined;
  /** Sends one request and returns its data; throws a WrongAnswer on an error or non-200. */
  send(request: BenchRequest, user: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Node flags per variant, e.g. to profile Liaison. */
export type ExecArgv = Partial<Record<Variant, string[]>>;

/**
 * Starts the gateways of `variants` against `fleet`, each in its own process: Liaison exactly as its
 * image runs it (the compiled gateway/index.ts on plain node, with its environment), the peers from
 * bench/, the TypeScript ones compiled alike (`compiledDir`, bench/compiled-gateways.ts). Peers get
 * the supergraph with the fleet's routing URLs written in, as their users would deploy it.
 */
export async function startTargets(
  variants: readonly Variant[],
  fleet: Fleet,
  direct: Subgraphs,
  headers: PartnerHeaders,
  connections: number,
  compiledDir: string,
  execArgv: ExecArgv = {},
): Promise<{ targets: Target[]; failed: { variant: Variant; reason: string }[] }> {
  const supergraph = routedSupergraph(fleet);
  const routing = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, fleet.urls[entry.name]]));
  const env = {
    ...process.env,
    PORT: '0',
    OPS_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BENCH_SUPERGRAPH: supergraph,
    // The peers re-issue identities with the development gateway key (the Liaison gateway uses it too here).
    BENCH_IDENTITY_KEY: resolve(DEV_KEYS_DIR, 'gateway-identity.json'),
  };
  // Liaison as an operator would run it for these partners: the analysts' agency on the premium tier
  // with a budget that admits the deep nested page (estimated cost ~340k at 20 cases a page, five
  // times that at 100), so the cost check runs and passes instead of refusing the scenario.
  const liaisonEnv = { ...env, ...routing, PARTNER_TIERS: `${ANALYST.agency}=premium`, COST_LIMITS: 'premium:10000000' };
  const compiled = (path: string) => resolve(compiledDir, path);
  const specs: Partial<Record<Variant, Parameters<typeof startService>[0]>> = {
    liaison: { name: 'liaison', entry: compiled('gateway/index.js'), execArgv: execArgv.liaison ?? [], env: liaisonEnv },
    'liaison-unenforced': {
      name: 'liaison-unenforced',
      entry: compiled('bench/gateways/liaison-unenforced.js'),
      execArgv: execArgv['liaison-unenforced'] ?? [],
      env: liaisonEnv,
    },
    apollo: {
      name: 'apollo',
      entry: compiled('bench/gateways/apollo-gateway.js'),
      execArgv: execArgv.apollo ?? [],
      env: { ...env, NODE_ENV: 'production' },
    },
    floor: {
      name: 'floor',
      entry: compiled('bench/gateways/floor-proxy.js'),
      execArgv: execArgv.floor ?? [],
      env: { ...env, NODE_ENV: 'production' },
    },
    hive: {
      name: 'hive',
      entry: resolve(PEERS_DIR, 'hive-gateway.mjs'),
      execArgv: execArgv.hive ?? [],
      env: { ...env, NODE_ENV: 'production' },
    },
    'hive-rust': {
      name: 'hive-rust',
      entry: resolve(PEERS_DIR, 'hive-gateway.mjs'),
      execArgv: execArgv['hive-rust'] ?? [],
      env: { ...env, NODE_ENV: 'production', HIVE_ROUTER_RUNTIME: 'true' },
    },
  };
  const started = await Promise.allSettled(
    variants.map(async (variant): Promise<Target> => {
      const spec = specs[variant];
      if (!spec)
        return { variant, service: undefined, send: (request, user) => request.direct(direct, user), close: async () => undefined };
      const service = await startService(spec);
      const endpoint = new GraphqlEndpoint(service.url, connections);
      return {
        variant,
        service,
        send: async (request, user) => {
          const { status, text } = await endpoint.post(request.body, headers.of(request.partner, user));
          return dataOf(status, text);
        },
        close: async () => {
          await endpoint.close();
          await service.stop();
        },
      };
    }),
  );
  return {
    targets: started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : [])),
    // A peer that cannot start here is reported in the table, not silently left out.
    failed: started.flatMap((outcome, index) =>
      outcome.status === 'rejected' ? [{ variant: variants[index]!, reason: (outcome.reason as Error).message.split('\n')[0]! }] : [],
    ),
  };
}

/** The committed supergraph with each subgraph's URL replaced by where the fleet listens. */
function routedSupergraph(fleet: Fleet): string {
  let sdl = readFileSync(SUPERGRAPH_GRAPHQL, 'utf8');
  for (const [name, url] of Object.entries(fleet.urls)) {
    sdl = sdl.replace(new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`), `$1${url}$2`);
  }
  const dir = resolve(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const path = resolve(dir, `supergraph-${fleet.label}.graphql`);
  writeFileSync(path, sdl);
  return path;
}
