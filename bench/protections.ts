import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import { createLogger } from '../lib/logger.ts';
import { readSupergraphConfig } from '../lib/supergraph-config.ts';
import { startStack } from '../test/support/stack.ts';
import { bearer } from '../test/support/tokens.ts';
import { drive, GraphqlEndpoint, type LoadResult, median } from './load.ts';
import type { Row } from './report.ts';

const SCENARIO = 'partner reads (gateway + 3 subgraphs in-process, demo seed, Redis)';
export const PROTECTIONS_BASELINE = 'protections off';
const AGENCY = 'XXBENCH01';

/** A partner's read mix: a lookup with personal fields, a page of notices, a page of cases with subjects. */
const READS = [
  { query: 'query Lookup($id: ID!) { wantedPerson(id: $id) { id familyName dateOfBirth warrant { charges } } }', variables: { id: 'W000000001' } },
  { query: 'query Notices { wantedPersonsByNotice(noticeType: RED, first: 20) { nodes { id familyName status } } }', variables: {} },
  { query: 'query Cases { cases(first: 10) { nodes { caseNumber status subjects(first: 3) { nodes { id familyName } } } } }', variables: {} },
];

/**
 * What the protections cost: the same read mix through two gateways on one set of subgraphs, one with
 * every protection on (depth, alias, token and directive limits, the estimated-cost budget, the
 * partner's agency safelisted to its registered operations, and a rate limit taken in Redis per
 * request, high enough never to refuse) and one built with `protections: false`, in alternating rounds.
 */
export async function protectionsCost(concurrency: number, durationSeconds: number, warmupSeconds: number, rounds: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-bench-protections-'));
  const manifest = join(dir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: READS.map(({ query }) => ({ body: query })) }));
  const stack = await startStack('postgres', {
    redis: true,
    gatewayEnv: {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_SUBJECT_PER_SECOND: '1000000',
      RATE_LIMIT_SUBJECT_BURST: '1000000',
      RATE_LIMIT_AGENCY_PER_SECOND: '1000000',
      RATE_LIMIT_AGENCY_BURST: '1000000',
      SAFELIST_AGENCIES: AGENCY,
      TRUSTED_DOCUMENTS_FILE: manifest,
    },
  });
  const routes = Object.fromEntries(readSupergraphConfig().map((entry) => [`${entry.envPrefix}_URL`, stack.subgraphUrls[entry.name]!]));
  const unprotected = await buildGateway(loadGatewayConfig({ ...routes, LOG_LEVEL: 'silent' }), createLogger('bench', 'silent'), { protections: false });
  const urls: Record<string, string> = { 'all protections on': stack.gatewayUrl, [PROTECTIONS_BASELINE]: await unprotected.listen(0, '127.0.0.1') };
  const headers = { 'content-type': 'application/json', ...(await bearer({ subject: 'bench-protections', agency: AGENCY }, { code: 'INVESTIGATION', reference: 'BENCH-1' })) };
  const runs: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(urls).map((variant) => [variant, []]));
  const endpoints = Object.fromEntries(Object.entries(urls).map(([variant, url]) => [variant, new GraphqlEndpoint(url, concurrency)]));
  const bodies = READS.map((read) => JSON.stringify(read));
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const [variant, endpoint] of Object.entries(endpoints)) {
        runs[variant]!.push(
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
  } finally {
    await Promise.all(Object.values(endpoints).map((endpoint) => endpoint.close()));
    await unprotected.close();
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return Object.entries(runs).map(([variant, results]) => ({ scenario: SCENARIO, variant, result: median(results) }));
}
