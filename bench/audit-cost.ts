import { SUBGRAPH_FEATURES } from '../subgraphs/kit/index.ts';
import { startStack, type Stack } from '../test/support/stack.ts';
import { bearer } from '../test/support/tokens.ts';
import { drive, GraphqlEndpoint, type LoadResult, median } from './load.ts';
import type { Row } from './report.ts';

const SCENARIO = 'partner reads (gateway + 3 subgraphs in-process, demo seed)';
export const AUDIT_BASELINE = 'auditing off';

/** A partner's read mix: single lookups with personal fields, a page of notices, a page of cases with links. */
const READS = [
  (i: number) => ({
    query: `query Lookup($id: ID!) { wantedPerson(id: $id) { id familyName dateOfBirth warrant { charges } } }`,
    variables: { id: `W${String(1 + (i % 400)).padStart(9, '0')}` },
  }),
  () => ({
    query: 'query Notices { wantedPersonsByNotice(noticeType: RED, first: 20) { nodes { id familyName status } } }',
    variables: {},
  }),
  () => ({
    query: 'query Cases { cases(first: 10) { nodes { caseNumber status subjects(first: 3) { nodes { id familyName } } } } }',
    variables: {},
  }),
];

/**
 * What recording every disclosure costs: the same read mix through two in-process federations, one
 * whose subgraphs append each response's disclosures to their hash-chained audit trails (as
 * deployed) and one built without the `disclosure-audit` feature, measured in alternating rounds.
 */
export async function auditCost(concurrency: number, durationSeconds: number, warmupSeconds: number, rounds: number): Promise<Row[]> {
  const stacks: Record<string, Stack> = {
    'auditing on (group-committed appends)': await startStack('postgres'),
    [AUDIT_BASELINE]: await startStack('postgres', {
      subgraphOptions: { features: SUBGRAPH_FEATURES.filter((feature) => feature.name !== 'disclosure-audit') },
    }),
  };
  const headers = {
    'content-type': 'application/json',
    ...(await bearer({ subject: 'bench-auditing' }, { code: 'INVESTIGATION', reference: 'BENCH-1' })),
  };
  const runs: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(stacks).map((variant) => [variant, []]));
  const endpoints = Object.fromEntries(
    Object.entries(stacks).map(([variant, stack]) => [variant, new GraphqlEndpoint(stack.gatewayUrl, concurrency)]),
  );
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const [variant, endpoint] of Object.entries(endpoints)) {
        runs[variant]!.push(
          await drive(
            async (i) => {
              const { status, text } = await endpoint.post(JSON.stringify(READS[i % READS.length]!(i)), headers);
              if (status !== 200 || text.includes('"errors"')) throw new Error(`HTTP ${status}: ${text.slice(0, 200)}`);
            },
            { concurrency, durationSeconds, warmupSeconds },
          ),
        );
      }
    }
  } finally {
    await Promise.all(Object.values(endpoints).map((endpoint) => endpoint.close()));
    await Promise.all(Object.values(stacks).map((stack) => stack.close()));
  }
  return Object.entries(runs).map(([variant, results]) => ({ scenario: SCENARIO, variant, result: median(results) }));
}
