import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { CostModel } from './cost-model.ts';
import { estimateCostReading } from './estimate-cost.ts';

interface Known {
  schema: GraphQLSchema;
  model: CostModel;
  /** The variables the estimate reads, in order; their values key `costs`. */
  read: readonly string[];
  costs: Map<string, number>;
}

/** The values of `names` in `variables`, an absent one apart from null (a null variable is a value the estimate may read). */
const keyOf = (names: readonly string[], variables: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(names.map((name) => (Object.hasOwn(variables, name) ? [variables[name]] : [])));

/** Distinct values of an operation's sizing variables remembered; past it, the oldest is forgotten. */
const MAX_COSTS_PER_OPERATION = 64;

/**
 * The cost estimate, computed once per operation and values of the variables it reads (`first`, not
 * the `id` of a lookup) instead of once per request. Apollo Server hands every request of the same
 * query text the same parsed document, so its operation node keys the memo; a new supergraph (schema
 * and cost model) starts it afresh. Weakly held: an operation evicted from Apollo's document store
 * takes its costs with it.
 */
export function operationCosts() {
  const known = new WeakMap<OperationDefinitionNode, Known>();
  return (
    schema: GraphQLSchema,
    model: CostModel,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>>,
  ): number => {
    const entry = known.get(operation);
    const current = entry && entry.schema === schema && entry.model === model ? entry : undefined;
    if (current) {
      const cost = current.costs.get(keyOf(current.read, variables));
      if (cost !== undefined) return cost;
    }
    const estimate = estimateCostReading(schema, model, document, operation, variables);
    const read = [...estimate.read].sort();
    const kept = current && current.read.join() === read.join() ? current : { schema, model, read, costs: new Map<string, number>() };
    kept.costs.set(keyOf(read, variables), estimate.cost);
    if (kept.costs.size > MAX_COSTS_PER_OPERATION) kept.costs.delete(kept.costs.keys().next().value!);
    known.set(operation, kept);
    return estimate.cost;
  };
}
