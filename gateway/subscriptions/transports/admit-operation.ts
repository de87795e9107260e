import type { IncomingMessage } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Caller } from '../../../lib/authz/principal.ts';
import type { SubscriptionRequest } from './engine-contract.ts';

/** The gateway features' admission of one operation (GatewayFeature.admit): resolves, or throws the coded error that refuses it. */
export type AdmitOperation = (caller: Caller, req: IncomingMessage, request: HTTPGraphQLRequest) => Promise<void>;

/**
 * Runs `admit` on a subscription as if it had been POSTed to `/graphql`, so that rate limits and the
 * trusted-document safelist hold for subscribers as for queries. Resolves with the refusal, if any.
 */
export async function refusalByFeatures(
  admit: AdmitOperation,
  caller: Caller,
  req: IncomingMessage,
  request: SubscriptionRequest,
): Promise<GraphQLError | undefined> {
  const { query, variables, operationName } = request;
  const body = { query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}) };
  try {
    await admit(caller, req, { method: 'POST', headers: new HeaderMap(), search: '', body });
    return undefined;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}
