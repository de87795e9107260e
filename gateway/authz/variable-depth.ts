import {
  type GraphQLError,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isSpecifiedScalarType,
  typeFromAST,
  type VariableDefinitionNode,
} from 'graphql';
import { badUserInput } from '../../lib/errors/index.ts';

/** Levels of lists and input objects a variable value may nest when its type sets no bound of its own. */
export const MAX_VARIABLE_DEPTH = 64;

/**
 * Refuses a variable nested deeper than {@link MAX_VARIABLE_DEPTH} when its type would let it through:
 * a recursive input type or a custom scalar, which graphql-js coerces (and subgraph fetches serialize)
 * one stack frame per level, so thousands of levels would overflow the stack and answer 500. Other
 * types bound the depth themselves: graphql-js refuses anything deeper at the first level too many,
 * with its own message, so those are left to it.
 */
export function tooDeepVariable(
  schema: GraphQLSchema,
  definitions: readonly VariableDefinitionNode[],
  inputs: Readonly<Record<string, unknown>>,
): GraphQLError | undefined {
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (!type || !Object.hasOwn(inputs, name) || admissibleDepth(type) <= MAX_VARIABLE_DEPTH) continue;
    if (nestedDeeperThan(inputs[name], MAX_VARIABLE_DEPTH)) {
      return badUserInput(`Variable "$${name}" is nested more than ${MAX_VARIABLE_DEPTH} levels deep.`, undefined, { nodes: definition });
    }
  }
  return undefined;
}

/** Per input object: it reaches a cycle (Infinity) or its finite depth; either holds wherever it is met. */
const objectDepths = new WeakMap<GraphQLInputObjectType, number>();

/** The deepest value `type` accepts: Infinity through a recursive input object or a custom scalar. */
function admissibleDepth(type: GraphQLInputType, visiting = new Set<GraphQLInputObjectType>()): number {
  if (isNonNullType(type)) return admissibleDepth(type.ofType, visiting);
  if (isListType(type)) return 1 + admissibleDepth(type.ofType, visiting);
  if (!isInputObjectType(type)) return isEnumType(type) || isSpecifiedScalarType(type) ? 0 : Infinity;
  const known = objectDepths.get(type);
  if (known !== undefined) return known;
  if (visiting.has(type)) return Infinity;
  visiting.add(type);
  const depth = 1 + Math.max(0, ...Object.values(type.getFields()).map((field) => admissibleDepth(field.type, visiting)));
  visiting.delete(type);
  objectDepths.set(type, depth);
  return depth;
}

/** Walks with its own stack, not the call stack, so no value is too deep to measure. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (current.value === null || typeof current.value !== 'object') continue;
    if (current.depth >= max) return true;
    for (const child of Object.values(current.value)) pending.push({ value: child, depth: current.depth + 1 });
  }
  return false;
}
