import { createLogger } from '../lib/logger.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { buildGateway } from '../gateway/server.ts';
import type { Stack } from '../test/support/stack.ts';
import { bearer } from '../test/support/tokens.ts';
import { type LoadResult, median, runLoad } from './load.ts';

/** A typical partner query: a case, its subjects across subgraphs, and a field the partner may not read. */
const QUERY = /* GraphQL */ `
  query Typical($case: ID!) {
    case(caseNumber: $case) {
      caseNumber title status
      subjects(first: 5) { nodes { id noticeType fullName photoRef } }
      relatedProperty(first: 5) { nodes { id description } }
    }
  }
`;

/** Rows of the authorization-cost comparison. */
export interface Row {
  scenario: string;
  variant: string;
  result: LoadResult;
}

/**
 * Prices the gateway's field-rule filter: the same query with enforcement on and off, alternating
 * runs so both see the same machine noise. The partner lacks `wanted:biometrics`, so the filter
 * really removes a field.
 */
export async function authorizationCost(stack: Stack, connections: number, durationSeconds: number, rounds: number): Promise<Row[]> {
  const overrides = Object.fromEntries(Object.entries(stack.subgraphUrls).map(([name, url]) => [`${name.toUpperCase().replaceAll('-', '_')}_URL`, url]));
  const unenforced = await buildGateway(loadGatewayConfig({ ...overrides, LOG_LEVEL: 'silent' }), createLogger('bench', 'silent'), { enforceFieldRules: false });
  const offUrl = await unenforced.listen(0, '127.0.0.1');
  const headers = await bearer({ scopes: ['wanted:read', 'wanted:pii', 'property:read', 'case:read', 'case:restricted'] });
  const body = { query: QUERY, variables: { case: 'C000000001' } };
  const check = (response: { data?: any }) => response.data?.case?.caseNumber === 'C000000001';
  const results: Record<'on' | 'off', LoadResult[]> = { on: [], off: [] };
  try {
    for (let round = 0; round < rounds; round += 1) {
      results.on.push(await runLoad({ url: stack.gatewayUrl, body, headers, connections, durationSeconds, check }));
      results.off.push(await runLoad({ url: offUrl, body, headers, connections, durationSeconds, check }));
    }
  } finally {
    await unenforced.close();
  }
  return [
    { scenario: 'typical query', variant: 'field rules enforced', result: median(results.on) },
    { scenario: 'typical query', variant: 'enforcement off', result: median(results.off) },
  ];
}
