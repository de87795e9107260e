import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Caller } from '../../lib/authz/principal.ts';
import { internalError } from '../../lib/errors/index.ts';
import { runInRequestScope } from '../../lib/observability/request-scope.ts';
import type { GatewayContext } from '../context.ts';
import type { RequestRecord } from '../observability/index.ts';
import type { SubgraphIdentities } from '../upstream/index.ts';
import type { ExecuteAs } from './resolve-event.ts';

/**
 * Runs each event's lookup through `apollo` (its plugins, the authorizing gateway, the planner and the
 * data sources) with the context a request of `caller` over HTTP would have, so identity signing, field
 * rules, row rules, purpose and the subgraphs' disclosure audit apply to every event as to a query.
 * Every lookup is its own gateway request: identities are bound to one.
 */
export function executeThrough(
  apollo: () => ApolloServer<GatewayContext>,
  identitiesOf: (caller: Caller, gatewayRequestId: string) => SubgraphIdentities,
): ExecuteAs {
  return async (caller, document, variables, meta) => {
    const gatewayRequestId = randomUUID();
    const request: RequestRecord = { requestId: meta.requestId, gatewayRequestId, partnerRequestId: null, caller, errorCodes: [] };
    // The observer records the hash of the document Apollo runs (the rewrite); the audit trail names the
    // subscription the partner sent, so that hash is pinned.
    Object.defineProperty(request, 'operationHash', { get: () => meta.operationHash, set: () => undefined, enumerable: true });
    const response = await runInRequestScope({ requestId: meta.requestId, gatewayRequestId }, () =>
      apollo().executeOperation(
        { query: document, variables, ...(meta.operationName ? { operationName: meta.operationName } : {}) },
        { contextValue: { caller, identities: identitiesOf(caller, gatewayRequestId), request } },
      ),
    );
    if (response.body.kind !== 'single') return { data: null, errors: [internalError(meta.requestId)] };
    return response.body.singleResult as Awaited<ReturnType<ExecuteAs>>;
  };
}
