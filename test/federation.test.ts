import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './support/graphql-client.ts';
import { bearer } from './support/tokens.ts';
import { type Stack, startStack } from './support/stack.ts';

/** One operation through the gateway as a partner with full access. */
const ask = async (url: string, query: string, variables?: Record<string, unknown>) => graphql(url, query, variables, await bearer());

let stack: Stack;
/** The subgraphs the nested case query reaches; the others must not be asked anything. */
const ASKED = ['case-status', 'wanted-persons', 'stolen-property'];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

const CASE_GRAPH = /* GraphQL */ `
  query CaseGraph($caseNumber: ID!) {
    case(caseNumber: $caseNumber) {
      caseNumber
      title
      status
      provenance {
        owningAgency
        sourceSubgraph
      }
      subjects {
        totalCount
        nodes {
          id
          fullName
          noticeType
          provenance {
            sourceSubgraph
            owningAgency
          }
          cases {
            nodes {
              caseNumber
            }
          }
        }
      }
      relatedProperty {
        nodes {
          __typename
          id
          description
          provenance {
            sourceSubgraph
          }
          ... on Vehicle {
            vin
            plate
          }
          case {
            caseNumber
          }
        }
      }
    }
  }
`;

/** The first seeded case that has both subjects and related property. */
async function caseWithSubjectsAndProperty(): Promise<string> {
  const { data } = await ask(
    stack.gatewayUrl,
    '{ cases(first: 100) { nodes { caseNumber subjects { totalCount } relatedProperty { totalCount } } } }',
  );
  const found = data?.cases.nodes.find((c: any) => c.subjects.totalCount > 0 && c.relatedProperty.totalCount > 0);
  expect(found, 'the demo seed has a case with subjects and property').toBeDefined();
  return found.caseNumber;
}

describe('one query across the three subgraphs', () => {
  it('follows a case to its subjects, their other cases and its property, with provenance from each subgraph', async () => {
    const caseNumber = await caseWithSubjectsAndProperty();
    const response = await ask(stack.gatewayUrl, CASE_GRAPH, { caseNumber });
    expect(response.errors).toBeUndefined();
    const found = response.data!.case;
    expect(found.caseNumber).toBe(caseNumber);
    expect(found.provenance.sourceSubgraph).toBe('case-status');
    expect(found.subjects.nodes.length).toBe(found.subjects.totalCount);

    for (const subject of found.subjects.nodes) {
      expect(subject.provenance.sourceSubgraph).toBe('wanted-persons');
      expect(subject.cases.nodes.map((c: any) => c.caseNumber)).toContain(caseNumber);
      const direct = await ask(stack.gatewayUrl, 'query($id: ID!) { wantedPerson(id: $id) { fullName noticeType } }', { id: subject.id });
      expect(direct.data!.wantedPerson).toEqual({ fullName: subject.fullName, noticeType: subject.noticeType });
    }
    for (const item of found.relatedProperty.nodes) {
      expect(item.provenance.sourceSubgraph).toBe('stolen-property');
      expect(item.case).toEqual({ caseNumber });
      const expectedType = { V: 'Vehicle', D: 'TravelDocument', F: 'Firearm', A: 'Artwork' }[item.id[0] as 'V'];
      expect(item.__typename).toBe(expectedType);
      if (item.__typename === 'Vehicle') expect(item.vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    }
  });

  it('resolves property to its case from the stolen-property side', async () => {
    const caseNumber = await caseWithSubjectsAndProperty();
    const { data } = await ask(stack.gatewayUrl, CASE_GRAPH, { caseNumber });
    const item = data!.case.relatedProperty.nodes[0];
    const response = await ask(stack.gatewayUrl, 'query($id: ID!) { propertyItem(id: $id) { id case { caseNumber title } } }', {
      id: item.id,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.propertyItem).toEqual({ id: item.id, case: { caseNumber, title: data!.case.title } });
  });

  it('answers null, not an error, for records that do not exist', async () => {
    const response = await ask(
      stack.gatewayUrl,
      '{ case(caseNumber: "C999999999") { title } wantedPerson(id: "W999999999") { id } propertyItem(id: "V999999999") { id } }',
    );
    expect(response).toMatchObject({ status: 200, data: { case: null, wantedPerson: null, propertyItem: null } });
    expect(response.errors).toBeUndefined();
  });
});

describe('batching', () => {
  const NESTED = /* GraphQL */ `
    query Nested($first: Int!) {
      cases(first: $first) {
        nodes {
          caseNumber
          statusHistory {
            status
          }
          subjects {
            totalCount
            nodes {
              id
              fullName
              cases {
                totalCount
                nodes {
                  caseNumber
                }
              }
            }
          }
          relatedProperty {
            nodes {
              id
              description
              case {
                caseNumber
              }
            }
          }
        }
      }
    }
  `;

  async function countFor(first: number): Promise<{ queries: Record<string, number>; audit: Record<string, number> }> {
    stack.resetQueryCounts();
    const response = await ask(stack.gatewayUrl, NESTED, { first });
    expect(response.errors).toBeUndefined();
    expect(response.data!.cases.nodes).toHaveLength(first);
    return { queries: stack.queryCounts(), audit: stack.auditCounts() };
  }

  it('costs the same bounded number of SQL queries per subgraph for 10 cases as for 50', async () => {
    // Creates every owner's audit chain head, so the two counts below see the same steady state.
    await countFor(50);
    const { queries: ten, audit: auditTen } = await countFor(10);
    const { queries: fifty, audit: auditFifty } = await countFor(50);
    expect(fifty).toEqual(ten);
    // auditing the disclosures costs the same few statements per subgraph fetch, whatever the page size
    expect(auditFifty).toEqual(auditTen);
    for (const [subgraph, queries] of Object.entries(fifty)) {
      expect(queries, `${subgraph} ran ${queries} queries`).toBeLessThanOrEqual(8);
      expect(queries > 0, `${subgraph} was asked`).toBe(ASKED.includes(subgraph));
    }
  });
});
