import { defaultFieldResolver, type GraphQLSchema, isObjectType, parse } from 'graphql';
import { satisfies } from '../../../lib/authz/evaluate-rule.ts';
import { both, FieldRules, type Rule } from '../../../lib/authz/field-rules.ts';
import type { PolicyRegistry } from '../../../lib/authz/policies.ts';
import type { Caller } from '../../../lib/authz/principal.ts';
import { unauthorizedField } from '../../../lib/errors/index.ts';

/**
 * Defence in depth: the subgraph checks the same SDL rules as the gateway, on every field it resolves
 * (entity references included), so a request that slipped past the gateway still reads nothing it
 * should not. Wraps the resolvers of `schema` in place.
 */
export function enforceFieldRules(
  schema: GraphQLSchema,
  sdl: string,
  policies: PolicyRegistry,
  callerOf: (context: unknown) => Caller,
): void {
  const rules = new FieldRules(parse(sdl));
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = rules.typeRule(type.name);
    for (const field of Object.values(type.getFields())) {
      const fieldRule = rules.fieldRule(type.name, field.name);
      const rule: Rule | undefined = typeRule && fieldRule ? both(typeRule, fieldRule) : (typeRule ?? fieldRule);
      if (!rule || field.name.startsWith('_')) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const coordinate = `${type.name}.${field.name}`;
      field.resolve = (source, args, context, info) => {
        if (!satisfies(rule, callerOf(context), policies)) {
          throw unauthorizedField(`Unauthorized field or type: ${coordinate}`);
        }
        return resolve(source, args, context, info);
      };
    }
  }
}
