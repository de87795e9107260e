import { getVariableValues, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { tooDeepVariable } from './variable-depth.ts';

/** The variables as graphql-js coerces them (`coerced`), or the errors it refuses them with. */
export type CoercedVariables = ReturnType<typeof getVariableValues>;

interface Coercion {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  inputs: Readonly<Record<string, unknown>> | undefined;
  result: CoercedVariables;
}

/** Keyed by the request's context object, which Apollo's plugins and the gateway's executor share. */
const coercions = new WeakMap<object, Coercion>();

/**
 * The operation's variables as execution will see them: declared defaults applied, values coerced to
 * their types, or graphql-js's own errors for them (the ones @apollo/gateway answers 400
 * BAD_USER_INPUT with). Whatever the gateway reads before execution (the cost estimate, @skip and
 * @include in the field-rule filter, the authorization cache key) reads these, never the raw JSON,
 * which lacks defaults and may not even have the declared types. Coerced once per request.
 */
export function coerceVariables(
  requestContext: object,
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>> | undefined,
): CoercedVariables {
  const known = coercions.get(requestContext);
  if (known && known.schema === schema && known.operation === operation && known.inputs === inputs) return known.result;
  const definitions = operation.variableDefinitions ?? [];
  const tooDeep = tooDeepVariable(schema, definitions, inputs ?? {});
  const result = tooDeep ? { errors: [tooDeep] } : getVariableValues(schema, definitions, inputs ?? {});
  coercions.set(requestContext, { schema, operation, inputs, result });
  return result;
}
