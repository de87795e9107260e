import { defaultFieldResolver, type GraphQLField, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';
import type { SubgraphFeatureFactory } from '../server/contract.ts';
import { CursorSealer } from './cursor-sealer.ts';
import { notACursor } from './pagination.ts';

/**
 * Partners get sealed cursors (cursor-sealer.ts), resolvers keep the plain ones: every `endCursor` of the
 * kit's PageInfo is sealed on its way out, and the `after` of every connection field is opened before its
 * resolver runs, so readPage and the repositories see the plain cursor they issued. A cursor that does not
 * open is BAD_USER_INPUT on `after`, before any resolver, cache or SQL.
 */
export const opaqueCursors: SubgraphFeatureFactory = {
  name: 'opaque-cursors',
  build({ name, auditKey }) {
    const sealer = CursorSealer.forSubgraph(auditKey, name);
    return { transformSchema: (schema) => sealCursors(schema, sealer) };
  },
};

/** Wraps the resolvers of `schema` in place: `PageInfo.endCursor`, and each field returning a connection with an `after`. */
export function sealCursors(schema: GraphQLSchema, sealer: CursorSealer): void {
  const pageInfo = schema.getType('PageInfo');
  if (!isObjectType(pageInfo) || !pageInfo.getFields().endCursor) throw new Error('the schema has no PageInfo.endCursor (common.graphql)');
  const endCursor = pageInfo.getFields().endCursor!;
  const issue = endCursor.resolve ?? defaultFieldResolver;
  const sealed = (plain: unknown) => (plain == null ? null : sealer.seal(String(plain)));
  endCursor.resolve = (source, args, context, info) => {
    const plain: unknown = issue(source, args, context, info);
    return plain instanceof Promise ? plain.then(sealed) : sealed(plain);
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!takesCursor(field)) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args: { after?: unknown }, context, info) => {
        if (args.after == null) return resolve(source, args, context, info);
        const plain = typeof args.after === 'string' ? sealer.open(args.after) : null;
        if (plain === null) throw notACursor();
        return resolve(source, { ...args, after: plain }, context, info);
      };
    }
  }
}

/**
 * A field takes a cursor when it returns a connection (a type whose `pageInfo` is the kit's PageInfo) and
 * has a String `after`: an `after` of another kind, or on another field, is not a cursor and is left alone.
 */
function takesCursor(field: GraphQLField<unknown, unknown>): boolean {
  const after = field.args.find((arg) => arg.name === 'after');
  if (!after || getNamedType(after.type).name !== 'String') return false;
  const returned = getNamedType(field.type);
  return isObjectType(returned) && getNamedType(returned.getFields().pageInfo?.type)?.name === 'PageInfo';
}
