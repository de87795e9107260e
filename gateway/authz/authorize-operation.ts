import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type GraphQLDirective,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  getNamedType,
  isCompositeType,
  isNonNullType,
} from 'graphql';
import type { FieldRules } from '../../lib/authz/field-rules.ts';
import { satisfies } from '../../lib/authz/evaluate-rule.ts';
import type { PolicyRegistry } from '../../lib/authz/policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import { fieldRequirement } from './requirements.ts';

/** Alias under which the filter asks for `__typename` for its own use; never shown to clients. */
export const TYPENAME_ALIAS = '__liaisonTypename';

/** One step of a response path: a response key, reached only on objects of `typeCondition` when set. */
export interface PathStep {
  key: string;
  typeCondition?: string;
}

/** A removed selection: where its null goes, and which schema coordinate was refused. */
export interface Denial {
  path: PathStep[];
  coordinate: string;
}

/** The operation with every unauthorized selection removed, and where each removal must show. */
export interface AuthorizedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  denials: Denial[];
  /** A non-null root field was refused (this coordinate): per GraphQL null propagation `data` is null. */
  nullData: string | null;
  /** The filter added {@link TYPENAME_ALIAS} selections that must be stripped from the result. */
  injectedTypename: boolean;
  /** Nothing authorized is left to execute. */
  empty: boolean;
}

/** What the filter needs to know. */
export interface AuthorizeContext {
  schema: GraphQLSchema;
  rules: FieldRules;
  policies: PolicyRegistry;
  caller: Caller;
  /** Coerced (see coerceVariables), so declared defaults decide `@skip`/`@include` as in execution. */
  variables: Record<string, unknown>;
}

/** `bubble` names the refused coordinate whose null must move up to a nullable ancestor. */
type Outcome = { node: SelectionNode } | { dropped: true; bubble: string | null } | { skipped: true };

/**
 * Removes what the caller may not read from an operation before it is planned, so no subgraph is
 * asked for it. Fragments are inlined (keeping their type conditions), `@skip`/`@include` are
 * evaluated, and a refused non-null field nulls its nearest nullable ancestor instead.
 */
export function authorizeOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  context: AuthorizeContext,
): AuthorizedOperation {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  if (!operation) throw new Error('operation not found after validation');
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const root = context.schema.getRootType(operation.operation)!;
  const denials: Denial[] = [];
  const walker = new Walker(context, fragments, denials);
  const result = walker.selectionSet(operation.selectionSet, root, [], undefined);
  const filtered: OperationDefinitionNode = {
    ...operation,
    selectionSet: result.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
  };
  return {
    document: { kind: Kind.DOCUMENT, definitions: [filtered] },
    operation: filtered,
    denials,
    nullData: result.bubble,
    empty: result.selectionSet === null,
    injectedTypename: walker.injectedTypename,
  };
}

class Walker {
  injectedTypename = false;

  constructor(
    private readonly context: AuthorizeContext,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly denials: Denial[],
  ) {}

  /** Filters one selection set; `selectionSet` is null when nothing is left. */
  selectionSet(
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: PathStep[],
    condition: string | undefined,
  ): { selectionSet: SelectionSetNode | null; bubble: string | null } {
    const kept: SelectionNode[] = [];
    let bubble: string | null = null;
    let needsTypename = false;
    for (const selection of set.selections) {
      const outcome = this.selection(selection, parent, path, condition);
      if ('node' in outcome) kept.push(outcome.node);
      if ('dropped' in outcome) bubble ??= outcome.bubble;
      if (selection.kind !== Kind.FIELD && this.denials.some((d) => d.path.length > path.length && d.path[path.length]?.typeCondition))
        needsTypename = true;
    }
    if (bubble) return { selectionSet: null, bubble };
    if (kept.length > 0 && needsTypename) kept.push(this.typename());
    return { selectionSet: kept.length > 0 ? { kind: Kind.SELECTION_SET, selections: kept } : null, bubble: null };
  }

  private selection(selection: SelectionNode, parent: GraphQLCompositeType, path: PathStep[], condition: string | undefined): Outcome {
    if (this.skipped(selection)) return { skipped: true };
    if (selection.kind === Kind.FIELD) return this.field(selection, parent, path, condition);
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments.get(selection.name.value) : selection;
    if (!fragment) return { skipped: true };
    const typeName = fragment.typeCondition?.name.value;
    const type = typeName ? this.context.schema.getType(typeName) : parent;
    if (!type || !isCompositeType(type)) return { skipped: true };
    const inner = this.selectionSet(fragment.selectionSet, type, path, type.name === parent.name ? condition : type.name);
    if (inner.bubble) return { dropped: true, bubble: inner.bubble };
    if (!inner.selectionSet) return { dropped: true, bubble: null };
    const inline: InlineFragmentNode = {
      kind: Kind.INLINE_FRAGMENT,
      typeCondition: fragment.typeCondition,
      directives: selection.directives,
      selectionSet: inner.selectionSet,
    };
    return { node: inline };
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, path: PathStep[], condition: string | undefined): Outcome {
    const name = node.name.value;
    if (name.startsWith('__')) return { node };
    const definition = 'getFields' in parent ? parent.getFields()[name] : undefined;
    if (!definition) return { node };
    const step: PathStep = { key: node.alias?.value ?? name, ...(condition ? { typeCondition: condition } : {}) };
    const rule = fieldRequirement(this.context.schema, this.context.rules, parent, definition);
    if (rule && !satisfies(rule, this.context.caller, this.context.policies)) {
      return this.deny([...path, step], `${parent.name}.${name}`, isNonNullType(definition.type));
    }
    if (!node.selectionSet) return { node };
    const returned = getNamedType(definition.type) as GraphQLCompositeType;
    const inner = this.selectionSet(node.selectionSet, returned, [...path, step], undefined);
    // A refused non-null descendant nulls this field instead, or bubbles further if this one is non-null too.
    if (inner.bubble) return this.deny([...path, step], inner.bubble, isNonNullType(definition.type));
    return { node: { ...node, selectionSet: inner.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [this.typename()] } } };
  }

  private deny(path: PathStep[], coordinate: string, nonNull: boolean): Outcome {
    if (nonNull) return { dropped: true, bubble: coordinate };
    this.denials.push({ path, coordinate });
    return { dropped: true, bubble: null };
  }

  private typename(): FieldNode {
    this.injectedTypename = true;
    return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPENAME_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } };
  }

  private skipped(selection: SelectionNode): boolean {
    return this.condition(GraphQLSkipDirective, selection) === true || this.condition(GraphQLIncludeDirective, selection) === false;
  }

  /**
   * The directive's `if`, or undefined when it has none. A null `if` (a defaulted variable sent as null)
   * is a field error in execution, so the selection is kept for execution to report it at its path.
   */
  private condition(directive: GraphQLDirective, selection: SelectionNode): unknown {
    try {
      return getDirectiveValues(directive, selection, this.context.variables)?.if;
    } catch (error) {
      if (error instanceof GraphQLError) return undefined;
      throw error;
    }
  }
}
