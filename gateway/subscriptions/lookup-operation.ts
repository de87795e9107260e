import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  visit,
} from 'graphql';
import type { RecordEventRoute } from './event-routes.ts';

/** The variable the lookup takes the record's id in; `__` keeps it clear of any a client may declare. */
export const RECORD_ID_VARIABLE = '__liaisonRecordId';

/**
 * The response key of the lookup every event runs, whatever the subscriber selected: whether the record
 * comes back decides whether the subscriber hears of the event at all, and `releasedInFull` whether it
 * sees more than a reference-only record's reference. `__` keeps it clear of a client's aliases.
 */
export const PROBE_KEY = '__liaisonRecord';

/** One field of the event as the subscriber selected it, by response key. */
export interface EventSelection {
  key: string;
  field: string;
}

/** A subscription rewritten for one record: the query to run per event, and how to assemble the event around it. */
export interface LookupOperation {
  /** `query <name>($__liaisonRecordId: ID!, …) { <key>: wantedPerson(id: $__liaisonRecordId) { … } }`. */
  document: DocumentNode;
  /** The subscription's response key (`wantedPersonEvents` or its alias). */
  rootKey: string;
  /** The event's fields in the order selected; record fields are answered by the lookup under the same key. */
  fields: EventSelection[];
  /** The variables the lookup declares (those the record's selection uses). */
  variables: string[];
}

/**
 * Rewrites the subscriber's selection under the record field into a query on the record's root lookup,
 * keeping fragments and variables it uses, so that the record goes through the normal planner, field
 * rules, row rules and audit, as the subscriber, for every event.
 */
export function lookupOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  root: FieldNode,
  route: RecordEventRoute,
  variables: Record<string, unknown>,
): LookupOperation {
  const { fields, records, fragments } = selectedEventFields(document, root, variables, route.recordField);
  const field = (name: string): FieldNode => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name } });
  records.set(PROBE_KEY, [field('__typename'), ...(route.releaseField ? [field('releasedInFull')] : [])]);
  const lookups: FieldNode[] = [...records].map(([key, selections]) => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: key },
    name: { kind: Kind.NAME, value: route.lookupField },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: route.lookupArgument },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RECORD_ID_VARIABLE } },
      },
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  }));
  const used = usedFragments(lookups, fragments);
  const names = usedVariables([...lookups, ...used]);
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: 'query' as OperationDefinitionNode['operation'],
    ...(operation.name ? { name: operation.name } : {}),
    variableDefinitions: [
      {
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: RECORD_ID_VARIABLE } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      },
      ...(operation.variableDefinitions ?? []).filter(
        (definition) => names.has(definition.variable.name.value) && definition.variable.name.value !== RECORD_ID_VARIABLE,
      ),
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections: lookups },
  };
  return {
    document: { kind: Kind.DOCUMENT, definitions: [query, ...used] },
    rootKey: root.alias?.value ?? root.name.value,
    fields,
    variables: [...names].filter((name) => name !== RECORD_ID_VARIABLE),
  };
}

/**
 * The event's fields as the subscriber selected them (through fragments, `@skip`/`@include` decided),
 * and the selections under each response key of `recordField`.
 */
export function selectedEventFields(
  document: DocumentNode,
  root: FieldNode,
  variables: Record<string, unknown>,
  recordField?: string,
): { fields: EventSelection[]; records: Map<string, SelectionNode[]>; fragments: Map<string, FragmentDefinitionNode> } {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const fields: EventSelection[] = [];
  const records = new Map<string, SelectionNode[]>();
  const collect = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (skipped(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (!fields.some((field) => field.key === key)) fields.push({ key, field: selection.name.value });
        if (selection.name.value === recordField) records.set(key, [...(records.get(key) ?? []), ...selection.selectionSet!.selections]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet.selections);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet.selections);
      }
    }
  };
  collect(root.selectionSet?.selections ?? []);
  return { fields, records, fragments };
}

/** `@skip`/`@include` decided now, on the subscription's variables, as execution would. */
function skipped(selection: SelectionNode, variables: Record<string, unknown>): boolean {
  return (
    getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if === true ||
    getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if === false
  );
}

/** The fragments the lookup spreads, transitively: a document with an unused fragment does not validate. */
function usedFragments(nodes: readonly FieldNode[], fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: { kind: Kind }[] = [...nodes];
  while (pending.length > 0) {
    visit(pending.pop() as FieldNode, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...used.values()];
}

/** The variables the nodes refer to: a document declaring one it never uses does not validate. */
function usedVariables(nodes: readonly { kind: Kind }[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) visit(node as FieldNode, { Variable: (variable) => void names.add(variable.name.value) });
  return names;
}
