import type { DocumentNode, ExecutionResult, GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import { unauthorizedField } from '../../lib/errors/index.ts';
import { authorizeOperation, purposeRequired } from '../authz/index.ts';
import type { Authorization, ServedSchema } from './prepare-subscription.ts';

/** The field rules on the subscription as a whole: what the authorizing gateway refuses before planning a query. */
export function authorizeSubscription(
  served: ServedSchema,
  authorization: Authorization,
  caller: Caller,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): ExecutionResult | undefined {
  const decide = (who: Caller) =>
    authorizeOperation(document, operation.name?.value, {
      schema: served.apiSchema,
      rules: served.rules,
      ...authorization,
      caller: who,
      variables,
    });
  const authorized = decide(caller);
  const refusedAt = (outcome: typeof authorized) => [outcome.nullData, ...outcome.denials.map((denial) => denial.coordinate)];
  const coordinates = [...new Set(refusedAt(authorized).filter((c): c is string => c !== null))];
  if (coordinates.length === 0) return undefined;
  if (caller.purpose === null) {
    const withPurpose = new Set(refusedAt(decide({ ...caller, purpose: { code: 'OPERATIONS', reference: null } })));
    const needPurpose = coordinates.filter((coordinate) => !withPurpose.has(coordinate));
    if (needPurpose.length > 0) return refused(purposeRequired(needPurpose));
  }
  if (authorization.rejectUnauthorized) return refused(unauthorizedField(`Operation refused: unauthorized ${coordinates.join(', ')}`));
  if (authorized.nullData) return { data: null, errors: [unauthorizedField(`Unauthorized field or type: ${authorized.nullData}`)] };
  // Other refusals are the record's fields: each event's lookup runs through the same filter and nulls them.
  return undefined;
}

const refused = (error: GraphQLError): ExecutionResult => ({ errors: [error] });
