import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway, GATEWAY_FEATURES } from '../gateway/server.ts';
import { createLogger } from '../lib/observability/logger.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { startStack } from '../test/support/stack.ts';
import { testConfig } from '../test/support/test-config.ts';
import { bearer } from '../test/support/tokens.ts';
import { drive, GraphqlEndpoint, type LoadResult, median } from './load.ts';
import type { Row } from './report.ts';

export const PROTECTIONS_BASELINE = 'protections off';
const AGENCY = 'XXBENCH01';

/**
 * A partner's read mix (a lookup with personal fields, a page of notices, a page of cases with
 * subjects), and an operation no subgraph is asked for, where the gateway's own work is everything.
 */
const SCENARIOS: Record<string, { query: string; variables: Record<string, unknown> }[]> = {
  'partner reads (gateway + 3 subgraphs in-process, demo seed, Redis)': [
    {
      query: 'query Lookup($id: ID!) { wantedPerson(id: $id) { id familyName dateOfBirth warrant { charges } } }',
      variables: { id: 'W000000001' },
    },
    { query: 'query Notices { wantedPersonsByNotice(noticeType: RED, first: 20) { nodes { id familyName status } } }', variables: {} },
    {
      query: 'query Cases { cases(first: 10) { nodes { caseNumber status subjects(first: 3) { nodes { id familyName } } } } }',
      variables: {},
    },
  ],
  'gateway alone: { __typename }, no subgraph asked': [{ query: 'query Ping { __typename }', variables: {} }],
};

/**
 * What the protections cost: the same read mix through two gateways on one set of subgraphs, one with
 * every protection on (depth, alias, token and directive limits, the estimated-cost budget, the
 * partner's agency safelisted to its registered operations, and a rate limit taken in Redis per
 * request, high enough never to refuse) and one built without the `protections` feature, in alternating rounds
 * whose order flips each round.
 */
export async function protectionsCost(concurrency: number, durationSeconds: number, warmupSeconds: number, rounds: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-protections-'));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: Object.values(SCENARIOS)
        .flat()
        .map(({ query }) => ({ body: query })),
    }),
  );
  const stack = await startStack('postgres', { redis: true });
  const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
  const base = { ...routes, LOG_LEVEL: 'silent', REDIS_URL: testConfig.TEST_REDIS_URL, CACHE_KEY_PREFIX: stack.cachePrefix! };
  const protectedEnv = {
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_SUBJECT_PER_SECOND: '1000000',
    RATE_LIMIT_SUBJECT_BURST: '1000000',
    RATE_LIMIT_AGENCY_PER_SECOND: '1000000',
    RATE_LIMIT_AGENCY_BURST: '1000000',
    SAFELIST_AGENCIES: AGENCY,
    TRUSTED_DOCUMENTS_FILE: manifest,
  };
  // Both built alike, back to back, beside the stack's own gateway (unused), so neither is favoured.
  const gateways = {
    'all protections on': await buildGateway(loadGatewayConfig({ ...base, ...protectedEnv }), createLogger('bench', 'silent')),
    [PROTECTIONS_BASELINE]: await buildGateway(
      loadGatewayConfig(base),
      createLogger('bench', 'silent'),
      GATEWAY_FEATURES.filter((feature) => feature.name !== 'protections'),
    ),
  };
  const urls: Record<string, string> = {};
  for (const [variant, gateway] of Object.entries(gateways)) urls[variant] = await gateway.listen(0, '127.0.0.1');
  const headers = {
    'content-type': 'application/json',
    ...(await bearer({ subject: 'bench-protections', agency: AGENCY }, { code: 'INVESTIGATION', reference: 'BENCH-1' })),
  };
  const runs = new Map<string, { scenario: string; variant: string; results: LoadResult[] }>();
  const endpoints = Object.fromEntries(Object.entries(urls).map(([variant, url]) => [variant, new GraphqlEndpoint(url, concurrency)]));
  try {
    for (const [scenario, operations] of Object.entries(SCENARIOS)) {
      const bodies = operations.map((operation) => JSON.stringify(operation));
      for (let round = 0; round < rounds; round += 1) {
        // Alternate which goes first, so warming up and machine drift do not favour one.
        const order = round % 2 === 0 ? Object.entries(endpoints) : Object.entries(endpoints).reverse();
        for (const [variant, endpoint] of order) {
          const run = runs.get(`${scenario}/${variant}`) ?? { scenario, variant, results: [] };
          runs.set(`${scenario}/${variant}`, run);
          run.results.push(
            await drive(
              async (i) => {
                const { status, text } = await endpoint.post(bodies[i % bodies.length]!, headers);
                if (status !== 200 || text.includes('"errors"')) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`);
              },
              { concurrency, durationSeconds, warmupSeconds },
            ),
          );
        }
      }
    }
  } finally {
    await Promise.all(Object.values(endpoints).map((endpoint) => endpoint.close()));
    await Promise.all(Object.values(gateways).map((gateway) => gateway.close()));
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [...runs.values()].map(({ scenario, variant, results }) => ({ scenario, variant, result: median(results) }));
}
