import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/databases.ts';
import { askSubgraph } from '../../test/support/identity.ts';
import { startTestSubgraph, type TestSubgraph } from '../../test/support/test-subgraph.ts';
import { buildServer } from './server.ts';

const NESTED = `query ($first: Int!) { cases(first: $first) { nodes { caseNumber statusHistory { status }
  subjects { totalCount nodes { id cases { totalCount nodes { caseNumber statusHistory { status } } } } }
  relatedProperty { totalCount nodes { id case { caseNumber } } } } } }`;

describe.each(ENGINES)('case-status batching on %s', (engine) => {
  let subgraph: TestSubgraph;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(buildServer, engine, 'case_status');
  });
  afterAll(() => subgraph?.stop());

  /** Runs one operation and returns how many SQL statements it cost, reading records and auditing them. */
  async function statementsFor(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ statements: number; auditStatements: number; data: any }> {
    subgraph.counted.reset();
    const { data, errors } = await askSubgraph(subgraph.url, query, variables);
    expect(errors).toBeUndefined();
    return { statements: subgraph.counted.count(), auditStatements: subgraph.counted.auditCount(), data };
  }

  it('costs as many statements for 50 cases with nested fields as for 5', async () => {
    // Every owner's audit chain exists after this, so both counts below see the same steady state.
    await statementsFor(NESTED, { first: 50 });
    const five = await statementsFor(NESTED, { first: 5 });
    const fifty = await statementsFor(NESTED, { first: 50 });
    expect(fifty.data.cases.nodes).toHaveLength(50);
    expect(fifty.statements).toBe(five.statements);
    // the disclosures of 50 cases and their links, whatever their owners, are one two-statement append
    expect(fifty.auditStatements).toBe(2);
    expect(five.auditStatements).toBe(2);
    // the page, history, subjects, their count, their cases, those counts, those cases' history, property, its count, its case
    expect(fifty.statements).toBe(10);
  });

  it('costs one statement per nested field, whatever the page size', async () => {
    const shape = `query ($first: Int!) { cases(first: $first) { nodes { statusHistory { status }
      subjects { totalCount nodes { id } } relatedProperty { nodes { id } } } } }`;
    const five = await statementsFor(shape, { first: 5 });
    const fifty = await statementsFor(shape, { first: 50 });
    expect(fifty.statements).toBe(five.statements);
    // the page, history, subjects, their count, property
    expect(fifty.statements).toBe(5);
  });

  it('resolves 50 entity references of each type in as many statements as one', async () => {
    const selection = `_entities(representations: $r) { ... on WantedPerson { cases { totalCount nodes { caseNumber } } }
      ... on PropertyItem { case { caseNumber statusHistory { status } } } ... on Case { caseNumber subjects { nodes { id } } } }`;
    // Cases with a subject and an item, so each representation reaches every nested field.
    const { data } = await askSubgraph(
      subgraph.url,
      '{ cases(first: 100) { nodes { caseNumber subjects(first: 1) { nodes { id } } relatedProperty(first: 1) { nodes { id } } } } }',
    );
    const linked = (
      data!.cases.nodes as { caseNumber: string; subjects: { nodes: { id: string }[] }; relatedProperty: { nodes: { id: string }[] } }[]
    ).filter((found) => found.subjects.nodes.length > 0 && found.relatedProperty.nodes.length > 0);
    expect(linked.length).toBeGreaterThanOrEqual(50);
    const representations = (count: number) =>
      linked.slice(0, count).flatMap((found) => [
        { __typename: 'WantedPerson', id: found.subjects.nodes[0]!.id },
        { __typename: 'PropertyItem', id: found.relatedProperty.nodes[0]!.id },
        { __typename: 'Case', caseNumber: found.caseNumber },
      ]);
    const one = await statementsFor(`query ($r: [_Any!]!) { ${selection} }`, { r: representations(1) });
    const fifty = await statementsFor(`query ($r: [_Any!]!) { ${selection} }`, { r: representations(50) });
    expect(fifty.data._entities).toHaveLength(150);
    expect(fifty.statements).toBe(one.statements);
  });
});
