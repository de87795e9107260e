import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { badRequest, badUserInput } from '../../../lib/errors/index.ts';
import { HttpError, readBody } from '../../../lib/http/index.ts';
import type { FormatError } from '../../feature.ts';
import { lastEventIdOf } from './admit-subscription.ts';
import type { SubscriptionRequest } from './engine-contract.ts';
import { formatErrors } from './format-result.ts';

/** A request answered before any stream opens: its status, its coded error, and headers (a `WWW-Authenticate` challenge). */
export interface Refusal {
  status: number;
  error: GraphQLError;
  headers?: Record<string, string>;
}

const refusal = (status: number, message: string): Refusal => ({ status, error: badRequest(message) });

/**
 * The subscription an SSE request asks for, from the query string (GET) or a JSON body (POST), and
 * `Last-Event-ID`; graphql-sse then sees it already parsed, so that every malformed request is refused
 * here with a coded error instead of graphql-sse's uncoded ones.
 */
export async function subscriptionOf(req: IncomingMessage, maxBodyBytes: number): Promise<SubscriptionRequest | Refusal> {
  const lastEventId = lastEventIdOf(req.headers['last-event-id']);
  if (lastEventId instanceof Error) return { status: 400, error: badUserInput(`Last-Event-ID: ${lastEventId.message}`, 'Last-Event-ID') };
  let params: Record<string, unknown>;
  if (req.method === 'GET') {
    const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
    params = { query: search.get('query') ?? undefined, operationName: search.get('operationName') ?? undefined };
    const variables = search.get('variables');
    if (variables !== null) {
      try {
        params.variables = JSON.parse(variables);
      } catch {
        return refusal(400, 'The variables parameter is not valid JSON');
      }
    }
  } else if (req.method === 'POST') {
    if (!req.headers['content-type']?.toLowerCase().includes('application/json'))
      return refusal(415, 'Send the subscription as JSON (content-type: application/json), or as GET query parameters');
    try {
      params = JSON.parse(await readBody(req, maxBodyBytes)) as Record<string, unknown>;
    } catch (error) {
      if (error instanceof HttpError) return refusal(error.status, error.message);
      return refusal(400, 'Request body is not valid JSON');
    }
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return refusal(400, 'The body must be a JSON object');
  } else return { ...refusal(405, 'Subscriptions over SSE are sent with GET or POST'), headers: { allow: 'GET, POST' } };
  const { query, variables, operationName } = params;
  if (typeof query !== 'string' || query === '') return refusal(400, 'A subscription needs a "query" string');
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables)))
    return refusal(400, '"variables" must be a JSON object');
  if (operationName != null && typeof operationName !== 'string') return refusal(400, '"operationName" must be a string');
  return {
    query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: operationName ?? undefined,
    lastEventId,
  };
}

/**
 * Whether `req` tries graphql-sse's single connection mode (reserving a stream with PUT, or naming one
 * with its token), which the gateway does not serve: every subscription is its own SSE request.
 */
export function singleConnectionAttempt(req: IncomingMessage): Refusal | undefined {
  // Every GraphQL request passes here: its URL is parsed only when it has a query string that could hold the token.
  const target = req.url ?? '/';
  const tokenInUrl = target.includes('?') && new URL(target, 'http://localhost').searchParams.has('token');
  if (req.method !== 'PUT' && req.headers['x-graphql-event-stream-token'] === undefined && !tokenInUrl) return undefined;
  return refusal(
    400,
    'graphql-sse single connection mode is not served; send each subscription as its own request with accept: text/event-stream',
  );
}

/** Answers `refusal` as a GraphQL-over-HTTP error response and ends it. */
export function refuse(res: ServerResponse, refusal: Refusal, format: FormatError): void {
  const body = JSON.stringify({ errors: formatErrors([refusal.error], format) });
  res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8', ...refusal.headers }).end(body);
}

/** A refusal of the request's own (authentication, a header), as Apollo answers it: the status and headers the error carries. */
export function refusalOf(error: GraphQLError): Refusal {
  const http = error.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
  return { status: http?.status ?? 400, error, headers: http?.headers ? Object.fromEntries(http.headers) : {} };
}
