import {
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  Kind,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  valueFromASTUntyped,
} from 'graphql';

/** One subgraph feed a subscription field reads. */
export interface FeedSource {
  subgraph: string;
  /** Its routing URL in the supergraph (`@join__graph(url:)`); a configured `<NAME>_URL` wins over it. */
  subgraphUrl: string;
}

/** What the engine knows about one subscription field whose events are about one kind of record. */
export interface RecordEventRoute extends FeedSource {
  kind: 'record';
  /** `wantedPersonEvents`. */
  field: string;
  /** `WantedPersonEvent`. */
  eventType: string;
  /** The event's field holding the record: `person`. */
  recordField: string;
  /** The record's type: `WantedPerson`. */
  entityType: string;
  /** The root query that looks the record up by id: `wantedPerson`, and its one id argument: `id`. */
  lookupField: string;
  lookupArgument: string;
  /** Events of other entities in the same feed are not this field's. */
  entities: ReadonlySet<string>;
  /** The record type has `releasedInFull` (false: the caller sees a reference-only record's reference alone). */
  releaseField: boolean;
  /** The one feed: the field's subgraph. */
  feeds: readonly FeedSource[];
}

/**
 * A subscription field whose event type has no record field: an owner's own events (hitsOnOwnRecords).
 * Every subgraph publishes them under the event type's name with their fields in the event, and each
 * reaches only subscribers of the agency that owns it.
 */
export interface OwnerEventRoute {
  kind: 'owner';
  field: string;
  eventType: string;
  entities: ReadonlySet<string>;
  /** Every subgraph of the supergraph, in name order (the order of a merged position). */
  feeds: readonly FeedSource[];
}

export type EventRoute = RecordEventRoute | OwnerEventRoute;

/** The event fields the engine fills from the event itself; the record field is the one that is not among them. */
const EVENT_FIELDS = new Set(['id', 'change', 'at', 'kind']);

/**
 * Reads from the supergraph which subgraph serves each `Subscription` field and how its record is looked
 * up, so that a new agency's event field needs no gateway change: the record field of an event type is
 * its one object-typed field, and its lookup is the root query field returning that type from one id.
 * An event type without one is an owner's own ({@link OwnerEventRoute}), read from every subgraph.
 */
export function eventRoutes(apiSchema: GraphQLSchema, supergraph: DocumentNode): Map<string, EventRoute> {
  const routes = new Map<string, EventRoute>();
  const subscription = apiSchema.getSubscriptionType();
  const query = apiSchema.getQueryType();
  if (!subscription || !query) return routes;
  const urls = new Map<string, string>();
  const graphs = graphNames(supergraph, urls);
  const owners = subscriptionOwners(supergraph, graphs);
  const everyFeed = [...urls].sort(([a], [b]) => a.localeCompare(b)).map(([subgraph, subgraphUrl]) => ({ subgraph, subgraphUrl }));
  for (const field of Object.values(subscription.getFields())) {
    const eventType = getNamedType(field.type);
    const subgraph = owners.get(field.name);
    if (!isObjectType(eventType) || !subgraph) continue;
    const record = Object.values(eventType.getFields()).find(
      (candidate) =>
        !EVENT_FIELDS.has(candidate.name) && !isScalarType(getNamedType(candidate.type)) && !isEnumType(getNamedType(candidate.type)),
    );
    if (!record) {
      routes.set(field.name, {
        kind: 'owner',
        field: field.name,
        eventType: eventType.name,
        entities: new Set([eventType.name]),
        feeds: everyFeed,
      });
      continue;
    }
    const entityType = getNamedType(record.type).name;
    const lookup = Object.values(query.getFields()).find((candidate) => isLookup(candidate, entityType));
    if (!lookup) continue;
    const named = getNamedType(record.type);
    const entities = new Set([entityType, ...(isAbstractType(named) ? apiSchema.getPossibleTypes(named).map((type) => type.name) : [])]);
    const feed = { subgraph, subgraphUrl: urls.get(subgraph) ?? '' };
    routes.set(field.name, {
      kind: 'record',
      field: field.name,
      ...feed,
      feeds: [feed],
      eventType: eventType.name,
      recordField: record.name,
      entityType,
      lookupField: lookup.name,
      lookupArgument: lookup.args.find((arg) => isNonNullType(arg.type))!.name,
      entities,
      releaseField: (isObjectType(named) || isInterfaceType(named)) && 'releasedInFull' in named.getFields(),
    });
  }
  return routes;
}

/** `wantedPerson(id: ID!): WantedPerson`: returns the type, from exactly one required argument. */
function isLookup(field: GraphQLField<unknown, unknown>, typeName: string): boolean {
  const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  return getNamedType(field.type).name === typeName && !isNonNullType(field.type) && required.length === 1 && field.args.length === 1;
}

/** `join__Graph` enum value → subgraph name (`@join__graph(name:)`). */
function graphNames(supergraph: DocumentNode, urls = new Map<string, string>()): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const name = directiveArgument(value.directives, 'join__graph', 'name');
      const url = directiveArgument(value.directives, 'join__graph', 'url');
      if (typeof name === 'string') names.set(value.name.value, name);
      if (typeof name === 'string') urls.set(name, typeof url === 'string' ? url : '');
    }
  }
  return names;
}

/** Subscription field → subgraph: its own `@join__field(graph:)`, else the type's single `@join__type(graph:)`. */
function subscriptionOwners(supergraph: DocumentNode, graphs: Map<string, string>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const definition of supergraph.definitions) {
    if (
      (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) ||
      definition.name.value !== 'Subscription'
    )
      continue;
    const typeGraphs = (definition.directives ?? []).filter((d) => d.name.value === 'join__type');
    const typeGraph = typeGraphs.length === 1 ? directiveArgument(typeGraphs, 'join__type', 'graph') : undefined;
    for (const field of definition.fields ?? []) {
      const graph = directiveArgument(field.directives, 'join__field', 'graph') ?? typeGraph;
      const name = typeof graph === 'string' ? graphs.get(graph) : undefined;
      if (name) owners.set(field.name.value, name);
    }
  }
  return owners;
}

function directiveArgument(directives: readonly ConstDirectiveNode[] | undefined, directive: string, argument: string): unknown {
  const found = directives?.find((d) => d.name.value === directive);
  const value = found?.arguments?.find((arg) => arg.name.value === argument)?.value;
  return value === undefined ? undefined : valueFromASTUntyped(value);
}
