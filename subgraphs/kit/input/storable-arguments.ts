import { defaultFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { badUserInput } from '../../../lib/errors/index.ts';
import { isStorableText } from '../../../lib/domain/text.ts';

/**
 * One rule for every string a client can send, applied once here rather than per resolver: no field
 * runs with an argument (input fields, list items and `_entities` representations included) holding
 * text the database cannot store or compare (NUL, an unpaired surrogate, other controls; see
 * lib/domain/text.ts). Such text is BAD_USER_INPUT naming where it is (`filter.partnerSubject`,
 * `representations.1.id`), before any cache or SQL; PostgreSQL would otherwise fail the statement.
 * Wraps the resolvers of `schema` in place; fields without arguments are left as they are.
 */
export function refuseUnstorableArguments(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.args.length === 0) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const where = unstorableIn(args, '');
        if (where !== undefined) throw badUserInput(`${where} must not contain NUL, control characters or unpaired surrogates`, where);
        return resolve(source, args, context, info);
      };
    }
  }
}

/** The path of the first string in `value` that is not storable text, if any. */
function unstorableIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = unstorableIn(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
