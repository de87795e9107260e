import type { GraphQLSchema } from 'graphql';
import { badRequest } from '../../../lib/errors/index.ts';

/**
 * The subscription fields of a subgraph's SDL exist to be composed: the gateway serves them, from this
 * subgraph's record-event feed, resolving each event's record through an ordinary query as the
 * subscriber. A subgraph never executes one, so an operation that reaches it directly is refused with
 * a coded error rather than answered with an empty or partial stream. Run before the other features'
 * transforms, so field rules and the disclosure audit wrap the refusal as they wrap every resolver.
 */
export function refuseSubscriptions(schema: GraphQLSchema): void {
  const subscription = schema.getSubscriptionType();
  if (!subscription) return;
  for (const field of Object.values(subscription.getFields())) {
    const refuse = () => {
      throw badRequest(
        `${field.name} is served by the Liaison gateway (WebSocket or SSE at its /graphql), not by this subgraph; ` +
          'subgraphs publish record events on GET /events for it',
      );
    };
    field.subscribe = refuse;
    field.resolve = refuse;
  }
}
