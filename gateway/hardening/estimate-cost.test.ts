import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getOperationAST, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_GRAPHQL } from '../../lib/config/supergraph-config.ts';
import { CostModel } from './cost-model.ts';
import { DEFAULT_LIST_SIZE, estimateCost } from './estimate-cost.ts';

const sdl = readFileSync(SUPERGRAPH_GRAPHQL, 'utf8');
const schema = Supergraph.build(sdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
const model = CostModel.fromSupergraph(sdl);

/** As the cost plugin prices it: on the variables as graphql-js coerces them, defaults applied. */
function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = getOperationAST(document)!;
  const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return estimateCost(schema, model, document, operation, coerced);
}

describe('estimated cost from @cost and @listSize in the committed supergraph', () => {
  it('an object lookup costs 1, its scalars nothing', () => {
    expect(cost('{ wantedPerson(id: "W000000001") { id fullName noticeType } }')).toBe(1);
  });

  it('a connection is sized by first (literal, variable, variable default, argument default)', () => {
    // cases: 1 for the connection, nodes: first x 1 per case.
    expect(cost('{ cases(first: 50) { nodes { caseNumber } } }')).toBe(1 + 50);
    expect(cost('query($n: Int) { cases(first: $n) { nodes { caseNumber } } }', { n: 7 })).toBe(1 + 7);
    expect(cost('query($n: Int = 30) { cases(first: $n) { nodes { caseNumber } } }')).toBe(1 + 30);
    expect(cost('{ cases { nodes { caseNumber } } }')).toBe(1 + 20);
  });

  it('nesting multiplies, @cost weights add, searches and counts cost more', () => {
    expect(cost('{ cases(first: 10) { totalCount nodes { subjects(first: 5) { nodes { id } } } } }')).toBe(1 + 5 + 10 * (1 + 1 + 5));
    expect(cost('{ searchWantedPersons(name: "a", first: 3) { nodes { id } } }')).toBe(10 + 3);
    expect(cost('{ case(caseNumber: "C1") { statusHistory { status } } }')).toBe(1 + 10);
  });

  it('fragments count like inline selections; unannotated lists take the default size', () => {
    const viaFragment = cost('query { cases(first: 4) { ...F } } fragment F on CaseConnection { nodes { caseNumber } }');
    expect(viaFragment).toBe(1 + 4);
    expect(DEFAULT_LIST_SIZE).toBe(10);
  });

  it("the README's three-subgraph example costs 483", () => {
    const example =
      '{ case(caseNumber: "C000000001") { title status subjects { nodes { fullName noticeType cases { nodes { caseNumber title } } } } relatedProperty { nodes { __typename description case { caseNumber } } } } }';
    expect(cost(example)).toBe(1 + (1 + 20 * (1 + 1 + 20)) + (1 + 20 * (1 + 1)));
    expect(cost(example)).toBe(483);
  });

  it("the README's standard-tier example, 50 cases with subjects and their cases, costs 29,901", () => {
    const cases =
      'query($first: Int!) { cases(first: $first) { nodes { caseNumber statusHistory { status } subjects { totalCount nodes { id fullName cases { totalCount nodes { caseNumber } } } } relatedProperty { nodes { id description case { caseNumber } } } } } }';
    expect(cost(cases, { first: 50 })).toBe(29_901);
  });

  it('a wide nested query is priced in the millions', () => {
    const deep = '{ cases(first: 100) { nodes { subjects(first: 100) { nodes { cases(first: 100) { nodes { caseNumber } } } } } } }';
    expect(cost(deep)).toBe(1 + 100 * (1 + 1 + 100 * (1 + 1 + 100)));
  });
});
