import {
  defaultFieldResolver,
  type GraphQLAbstractType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
} from 'graphql';
import type { Counted } from '../rows/counted.ts';
import type { PageInfo } from '../rows/pagination.ts';
import type { RequestAudit } from './request-audit.ts';
import { type OwnershipColumns, REFERENCE_ONLY, RowScope } from '../rows/row-scope.ts';

/** For each object type whose rows are records of this subgraph's own, how to read a row's record id. */
export type AuditedTypes = Readonly<Record<string, (row: never) => string>>;

type IdOf = (row: Row) => string;
type Row = { owning_agency?: unknown; release_mode?: unknown; notify_owner_on_hit?: unknown } & Record<string, unknown>;
type Resolver = GraphQLFieldResolver<unknown, unknown>;

/**
 * Makes every way a response can tell a partner about a record a disclosure of it, in its owner's trail:
 * - any field served of an audited type;
 * - any field that returns rows of an audited type, so `{ wantedPerson(id) { __typename } }`, which
 *   runs no field of the record, still discloses that it exists;
 * - `totalCount` of a connection of audited records (the records counted; see RequestAudit.count);
 * - `hasNextPage: true`, which tells that one more record exists.
 * Rows without an owning agency (references to another subgraph's records) are not this subgraph's to
 * disclose. Runs inside the field-rule check (call it before `enforceFieldRules`), so a field refused
 * to the caller discloses nothing.
 */
export function trackDisclosures(schema: GraphQLSchema, audited: AuditedTypes, auditOf: (context: unknown) => RequestAudit): void {
  const idOf = new Map(Object.entries(audited) as [string, IdOf][]);
  for (const name of idOf.keys()) {
    if (!isObjectType(schema.getType(name))) throw new Error(`audited type ${name} is not an object type of the schema`);
  }
  const isAudited = (type: GraphQLNamedType) =>
    idOf.has(type.name) || (isAbstractType(type) && schema.getPossibleTypes(type).some((possible) => idOf.has(possible.name)));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = type.getFields();
    for (const field of Object.values(fields)) {
      const served = idOf.get(type.name);
      if (served) wrap(field, (row, context) => discloseRow(auditOf(context), row as Row, served));
      const returned = getNamedType(field.type);
      // _entities answers the gateway's own entity fetches, which always select fields of the records.
      if (isAudited(returned) && field.name !== '_entities') {
        wrapResult(field, (result, context, info) => discloseRows(auditOf(context), result, returned, idOf, info));
      }
    }
    const nodes = fields['nodes'];
    if (fields['totalCount'] && nodes && isAudited(getNamedType(nodes.type))) {
      const counting = type.name;
      replace(fields['totalCount'], async (connection, context) => {
        const counted = await (connection as { counted?: () => Promise<Counted> }).counted?.();
        if (!counted) return undefined;
        auditOf(context).count(counted, counting);
        return counted.total;
      });
    }
    if (type.name === 'PageInfo' && fields['hasNextPage']) {
      wrap(fields['hasNextPage'], (pageInfo, context) => {
        const { hasNextPage, next } = pageInfo as PageInfo;
        if (hasNextPage && next) auditOf(context).disclose(next.owner, next.id, next.mode, next.notify);
      });
    }
  }
}

/** Runs `before` ahead of the field's resolver. */
function wrap(field: GraphQLField<unknown, unknown>, before: (source: unknown, context: unknown) => void): void {
  const resolve: Resolver = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    before(source, context);
    return resolve(source, args, context, info);
  };
}

/** Runs `after` on the field's result, once it is known. */
function wrapResult(field: GraphQLField<unknown, unknown>, after: (result: unknown, context: unknown, info: GraphQLResolveInfo) => void) {
  const resolve: Resolver = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context, info) => {
    const result = resolve(source, args, context, info);
    if (result instanceof Promise) return result.then((value: unknown) => (after(value, context, info), value));
    after(result, context, info);
    return result;
  };
}

/** Replaces the resolver, falling back to the original when the replacement has nothing to say. */
function replace(field: GraphQLField<unknown, unknown>, resolver: (source: unknown, context: unknown) => Promise<unknown>): void {
  const resolve: Resolver = field.resolve ?? defaultFieldResolver;
  field.resolve = async (source, args, context, info) => (await resolver(source, context)) ?? resolve(source, args, context, info);
}

function discloseRow(audit: RequestAudit, row: Row | null | undefined, idOf: IdOf): void {
  if (row && typeof row.owning_agency === 'string') {
    const mode = typeof row.release_mode === 'string' ? row.release_mode : undefined;
    // A reference-only record its owner released to the caller's agency (a grant) was served in full.
    const granted = mode === REFERENCE_ONLY && !RowScope.for(audit.caller).referenceOnly(row as unknown as OwnershipColumns);
    audit.disclose(row.owning_agency, idOf(row), granted ? undefined : mode, row.notify_owner_on_hit === true);
  }
}

/** Discloses each row of a field's result (a row, a list, nested lists), typed by `type` or its resolveType. */
function discloseRows(audit: RequestAudit, result: unknown, type: GraphQLNamedType, idOf: Map<string, IdOf>, info: GraphQLResolveInfo) {
  if (Array.isArray(result)) {
    for (const item of result) discloseRows(audit, item, type, idOf, info);
    return;
  }
  if (result === null || typeof result !== 'object' || typeof (result as Row).owning_agency !== 'string') return;
  const concrete = isAbstractType(type) ? concreteTypeOf(result as Row, type, info) : type.name;
  const id = concrete === undefined ? undefined : idOf.get(concrete);
  if (id) discloseRow(audit, result as Row, id);
}

/** The object type an abstract type's resolveType names for `row`, when it can tell without waiting. */
function concreteTypeOf(row: Row, type: GraphQLAbstractType, info: GraphQLResolveInfo): string | undefined {
  const named = type.resolveType?.(row, undefined, info, type);
  return typeof named === 'string' ? named : undefined;
}
