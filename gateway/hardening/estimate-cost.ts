import {
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isCompositeType,
  isListType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type DocumentNode,
} from 'graphql';
import type { CostModel } from './cost-model.ts';

/** Size assumed for a list whose SDL has no `@listSize`. */
export const DEFAULT_LIST_SIZE = 10;
/** Weight of each mutation root field: writes cost more than reads. */
const MUTATION_FIELD_WEIGHT = 10;

interface Walk {
  schema: GraphQLSchema;
  model: CostModel;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  /** The variables the estimate read: nothing else of `variables` can change it. */
  read: Set<string>;
}

/**
 * Estimates an operation's cost before it runs, the way federation demand control does: every
 * object field costs its `@cost` weight (1 by default, scalars and enums 0) plus its selections, and
 * a list multiplies that by its size: the value of its `@listSize` slicing argument (`first`, from
 * the operation, its variables or the argument's default), else its assumed size. Conservative on
 * purpose: fragments on different types of an abstract field all count, `@skip`/`@include` do not
 * discount. `variables` are coerced (coerceVariables): declared defaults applied, as the subgraph sees them.
 */
export function estimateCost(
  schema: GraphQLSchema,
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): number {
  return estimateCostReading(schema, model, document, operation, variables).cost;
}

/** {@link estimateCost}, and the names of the variables it read (a slicing argument's, such as `first`). */
export function estimateCostReading(
  schema: GraphQLSchema,
  model: CostModel,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): { cost: number; read: ReadonlySet<string> } {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, read: new Set() };
  const walk: Walk = { schema, model, fragments, variables, read: new Set() };
  return { cost: selectionCost(walk, root, operation.selectionSet, undefined, operation.operation === 'mutation'), read: walk.read };
}

/** Sized fields of a `@listSize(sizedFields)` parent and the size they take. */
interface Sizing {
  fields: readonly string[];
  size: number;
}

function selectionCost(
  walk: Walk,
  parent: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  sizing: Sizing | undefined,
  mutationRoot = false,
): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = fieldOf(parent, selection.name.value);
      if (field) total += fieldCost(walk, parent, field, selection, sizing, mutationRoot);
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const type = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parent;
      if (type) total += selectionCost(walk, type, fragment.selectionSet, sizing, mutationRoot);
    }
  }
  return total;
}

function fieldCost(
  walk: Walk,
  parent: GraphQLNamedType,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  sizing: Sizing | undefined,
  mutationRoot: boolean,
): number {
  const returned = getNamedType(field.type);
  const weight =
    walk.model.weight(parent.name, field.name, returned.name) ?? (mutationRoot ? MUTATION_FIELD_WEIGHT : isCompositeType(returned) ? 1 : 0);
  const listSize = walk.model.listSize(parent.name, field.name);
  const sliced = listSize ? (slicedSize(walk, field, node, listSize.slicingArguments) ?? listSize.assumedSize) : undefined;
  const childSizing =
    listSize && listSize.sizedFields.length > 0 && sliced !== undefined ? { fields: listSize.sizedFields, size: sliced } : undefined;
  const children = node.selectionSet ? selectionCost(walk, returned, node.selectionSet, childSizing) : 0;
  if (!isListType(getNullableType(field.type))) return weight + children;
  const size = sizing?.fields.includes(field.name) ? sizing.size : childSizing ? DEFAULT_LIST_SIZE : (sliced ?? DEFAULT_LIST_SIZE);
  return size * (weight + children);
}

/** The largest slicing argument's value: from the operation, a variable, or the argument's default. */
function slicedSize(walk: Walk, field: GraphQLField<unknown, unknown>, node: FieldNode, names: readonly string[]): number | undefined {
  const sizes = names.flatMap((name) => {
    const value = argumentValue(walk, node, name) ?? field.args.find((arg) => arg.name === name)?.defaultValue;
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? [value] : [];
  });
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

function argumentValue(walk: Walk, node: FieldNode, name: string): unknown {
  const value = node.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind !== Kind.VARIABLE) return undefined;
  walk.read.add(value.name.value);
  return walk.variables[value.name.value];
}

function fieldOf(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}
