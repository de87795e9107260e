import { type GraphQLError, type GraphQLSchema, isAbstractType } from 'graphql';
import { unauthorizedField } from '../../lib/errors/index.ts';
import { type AuthorizedOperation, type PathStep, TYPENAME_ALIAS } from './authorize-operation.ts';

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

/**
 * Puts the removed selections back into the result as `null`, one UNAUTHORIZED_FIELD_OR_TYPE error per
 * concrete path (list indexes included), and strips the filter's own `__typename` selections.
 * Only objects that exist get a null: nothing is reported about records that were not returned.
 */
export function applyDenials(
  data: Record<string, Json> | null | undefined,
  authorized: AuthorizedOperation,
  schema: GraphQLSchema,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const seen = new Set<string>();
  const matches = (typename: Json | undefined, condition: string): boolean => {
    if (typeof typename !== 'string') return false;
    if (typename === condition) return true;
    const type = schema.getType(condition);
    return isAbstractType(type) && schema.getPossibleTypes(type).some((possible) => possible.name === typename);
  };
  const visit = (value: Json | undefined, steps: PathStep[], index: number, path: (string | number)[], coordinate: string): void => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, position) => visit(item, steps, index, [...path, position], coordinate));
      return;
    }
    const step = steps[index]!;
    if (step.typeCondition && !matches(value[TYPENAME_ALIAS] ?? value.__typename, step.typeCondition)) return;
    if (index < steps.length - 1) {
      visit(value[step.key], steps, index + 1, [...path, step.key], coordinate);
      return;
    }
    const errorPath = [...path, step.key];
    const key = errorPath.join('.');
    value[step.key] = null;
    if (seen.has(key)) return;
    seen.add(key);
    errors.push(unauthorizedField(`Unauthorized field or type: ${coordinate}`, { path: errorPath }));
  };
  for (const denial of authorized.denials) visit(data ?? undefined, denial.path, 0, [], denial.coordinate);
  if (authorized.injectedTypename && data) strip(data);
  return errors;
}

function strip(value: Json): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach(strip);
    return;
  }
  delete value[TYPENAME_ALIAS];
  for (const child of Object.values(value)) strip(child);
}
