import {
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLSchema,
  type SelectionSetNode,
  Kind,
  getArgumentValues,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type ValidationRule,
} from 'graphql';
import type { FieldRules } from '../../lib/authz/field-rules.ts';
import type { PolicyRegistry } from '../../lib/authz/policies.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import type { OperationCheck } from '../feature.ts';
import {
  badUserInput,
  graphqlParseFailed,
  graphqlValidationFailed,
  operationResolutionFailure,
  unauthenticated,
} from '../../lib/errors/index.ts';
import { authorizeSubscription } from './authorize-subscription.ts';
import { type EventFilter, eventFilterOf } from './event-filter.ts';
import type { EventRoute, OwnerEventRoute, RecordEventRoute } from './event-routes.ts';
import { type EventSelection, type LookupOperation, lookupOperation, selectedEventFields } from './lookup-operation.ts';
import { type MergedPosition, parsePosition } from './merged-position.ts';
import { POSITION } from './record-event.ts';
import type { SubscribeRequest } from './subscribe-request.ts';

/** The served schema as the engine reads it, replaced on every supergraph (re)load. */
export interface ServedSchema {
  apiSchema: GraphQLSchema;
  rules: FieldRules;
  routes: Map<string, EventRoute>;
}

/** What deciding on a subscription needs besides the schema. */
export interface Authorization {
  policies: PolicyRegistry;
  /** AUTHZ_REJECT_UNAUTHORIZED: refuse an operation asking for any field the caller may not read. */
  rejectUnauthorized: boolean;
  /**
   * The gateway's query limits (depth, aliases, directives: validation rules; tokens: a parse option;
   * the cost budget: a check), as for queries.
   */
  limits?: { rules: readonly ValidationRule[]; maxTokens?: number | undefined; checks?: readonly OperationCheck[] };
}

/** A subscription accepted, about one kind of record: which feed, which events, from where, and the query each event is resolved with. */
export interface PreparedRecordSubscription {
  kind: 'record';
  route: RecordEventRoute;
  filter: EventFilter;
  /** Resume after this seq (the field's `after`, else the transport's last event id); undefined: from now. */
  after: number | undefined;
  lookup: LookupOperation;
  /** The subscriber's variables the lookup declares, as sent. */
  variables: Record<string, unknown>;
  operationName: string | null;
}

/** A subscription accepted to an owner's own events, read from every feed. */
export interface PreparedOwnerSubscription {
  kind: 'owner';
  route: OwnerEventRoute;
  filter: EventFilter;
  /** Resume after this position in each feed; a feed it does not name, and undefined: from now. */
  after: MergedPosition | undefined;
  /** The subscription's response key, and the event's fields as selected. */
  rootKey: string;
  fields: EventSelection[];
  operationName: string | null;
}

export type PreparedSubscription = PreparedRecordSubscription | PreparedOwnerSubscription;

/**
 * Decides on a subscription before anything streams, as a query is decided on: it must parse, validate
 * against the served API schema, be one subscription field the engine serves, pass the field rules
 * (purpose included) and carry known filter values. A refusal is an ExecutionResult with coded errors.
 */
export function prepareSubscription(
  served: ServedSchema,
  authorization: Authorization,
  caller: Caller,
  request: SubscribeRequest,
): PreparedSubscription | ExecutionResult {
  if (!caller.principal) return refused(unauthenticated('Subscriptions need a partner token'));
  let document: DocumentNode;
  try {
    document = parse(request.query, { maxTokens: authorization.limits?.maxTokens });
  } catch (error) {
    return refused(graphqlParseFailed(error as GraphQLError));
  }
  const invalid = validate(served.apiSchema, document, [...specifiedRules, ...(authorization.limits?.rules ?? [])]);
  // A limit's error keeps its own code (QUERY_TOO_COMPLEX); graphql-js's get GRAPHQL_VALIDATION_FAILED.
  if (invalid.length > 0) return { errors: invalid.map((error) => (error.extensions.code ? error : graphqlValidationFailed(error))) };
  const operation = getOperationAST(document, request.operationName);
  if (!operation) return refused(operationResolutionFailure('Send one operation, or name the one to run in operationName'));
  if (operation.operation !== 'subscription') return refused(operationResolutionFailure('Only subscriptions are served here'));
  const coerced = getVariableValues(served.apiSchema, operation.variableDefinitions ?? [], request.variables ?? {});
  if (coerced.errors) return { errors: coerced.errors.map((error) => badUserInput(error.message)) };
  const root = rootField(operation.selectionSet, document);
  const route = root && served.routes.get(root.name.value);
  if (!root || !route) return refused(operationResolutionFailure('This subscription field is not served'));
  const refusal = authorizeSubscription(served, authorization, caller, document, operation, coerced.coerced);
  if (refusal) return refusal;
  const resolved = { caller, schema: served.apiSchema, document, operation, variables: coerced.coerced };
  for (const check of authorization.limits?.checks ?? []) {
    const failed = check(resolved);
    if (failed) return refused(failed);
  }
  const args = getArgumentValues(served.apiSchema.getSubscriptionType()!.getFields()[route.field]!, root, coerced.coerced);
  let filter: EventFilter;
  try {
    filter = eventFilterOf(args.filter);
  } catch (error) {
    return refused(error as GraphQLError);
  }
  const position = args.after ?? request.lastEventId;
  const given = position === undefined || position === null ? undefined : String(position);
  const operationName = operation.name?.value ?? null;
  const rootKey = root.alias?.value ?? root.name.value;
  if (route.kind === 'owner') {
    const after = given === undefined ? undefined : parsePosition(given);
    if (given !== undefined && !after) return refused(badUserInput('after must be the id of an event received', 'after'));
    const { fields } = selectedEventFields(document, root, coerced.coerced);
    return { kind: 'owner', route, filter, after, rootKey, fields, operationName };
  }
  if (given !== undefined && !POSITION.test(given)) return refused(badUserInput('after must be the id of an event received', 'after'));
  const lookup = lookupOperation(document, operation, root, route, coerced.coerced);
  const raw = request.variables ?? {};
  return {
    kind: 'record',
    route,
    filter,
    after: given === undefined ? undefined : Number(given),
    lookup,
    variables: Object.fromEntries(lookup.variables.filter((name) => name in raw).map((name) => [name, raw[name]])),
    operationName,
  };
}

/** The one root field (validation allows exactly one), through any fragments around it. */
function rootField(set: SelectionSetNode, document: DocumentNode): FieldNode | undefined {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : document.definitions.find(
            (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
          )?.selectionSet;
    const found = inner && rootField(inner, document);
    if (found) return found;
  }
  return undefined;
}

const refused = (error: GraphQLError): ExecutionResult => ({ errors: [error] });
