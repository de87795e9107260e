import { type GraphQLField, type GraphQLNamedType, type GraphQLSchema, isAbstractType, getNamedType } from 'graphql';
import { both, type FieldRules, type Rule } from '../../lib/authz/field-rules.ts';

/**
 * What selecting `field` on `parent` demands, Apollo Router style: the field's own rule, the rule of
 * the type it returns, and, when either type is abstract, the rules of every possible type, since the
 * planner cannot know in advance which one a record will be.
 */
export function fieldRequirement(
  schema: GraphQLSchema,
  rules: FieldRules,
  parent: GraphQLNamedType,
  field: GraphQLField<unknown, unknown>,
): Rule | undefined {
  const found: Rule[] = [];
  const add = (rule: Rule | undefined) => rule && found.push(rule);
  add(rules.fieldRule(parent.name, field.name));
  if (isAbstractType(parent)) {
    for (const possible of schema.getPossibleTypes(parent)) {
      add(rules.fieldRule(possible.name, field.name));
      add(rules.typeRule(possible.name));
    }
  }
  const returned = getNamedType(field.type);
  add(rules.typeRule(returned.name));
  if (isAbstractType(returned)) for (const possible of schema.getPossibleTypes(returned)) add(rules.typeRule(possible.name));
  return found.length === 0 ? undefined : found.reduce(both);
}
