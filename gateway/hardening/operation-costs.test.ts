import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getOperationAST, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { SUPERGRAPH_GRAPHQL } from '../../lib/config/supergraph-config.ts';
import { CostModel } from './cost-model.ts';
import { estimateCost } from './estimate-cost.ts';
import { operationCosts } from './operation-costs.ts';

const sdl = readFileSync(SUPERGRAPH_GRAPHQL, 'utf8');
const schema = Supergraph.build(sdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();
const model = CostModel.fromSupergraph(sdl);

const PAGE = parse(
  'query($n: Int, $status: CaseStatus) { cases(first: $n, status: $status) { nodes { subjects(first: 5) { nodes { id } } } } }',
);
const operation = getOperationAST(PAGE)!;
const coerced = (variables: Record<string, unknown>) => getVariableValues(schema, operation.variableDefinitions ?? [], variables).coerced!;

describe('operation costs', () => {
  it('give what the estimate gives, for every value of the sizing variables, remembered or not', () => {
    const costOf = operationCosts();
    for (const variables of [{ n: 3 }, { n: 40 }, { n: 3 }, {}, { n: null }, { n: 40, status: 'OPEN' }, { status: 'CLOSED' }]) {
      const values = coerced(variables);
      expect(costOf(schema, model, PAGE, operation, values), JSON.stringify(variables)).toBe(
        estimateCost(schema, model, PAGE, operation, values),
      );
    }
  });

  it('are estimated afresh for a new cost model', () => {
    const costOf = operationCosts();
    const values = coerced({ n: 10 });
    const before = costOf(schema, model, PAGE, operation, values);
    const heavier = CostModel.fromSupergraph(
      sdl.replace(/@listSize\(\s*slicingArguments: \["first"\]/, '@cost(weight: 1000) @listSize(slicingArguments: ["first"]'),
    );
    expect(costOf(schema, heavier, PAGE, operation, values)).toBe(estimateCost(schema, heavier, PAGE, operation, values));
    expect(costOf(schema, heavier, PAGE, operation, values)).not.toBe(before);
  });
});
