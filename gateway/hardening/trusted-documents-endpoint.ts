import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type GraphQLSchema, parse, specifiedRules, validate, type ValidationRule } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import { ErrorCode, internalError } from '../../lib/errors/index.ts';
import { HttpError, readBody } from '../../lib/http/graphql-http-handler.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { requestIdOf } from '../../lib/observability/request-scope.ts';
import { withoutSuggestions } from './format-hardening-errors.ts';
import { manifestSchema, sha256Hex, type TrustedDocument, type TrustedDocuments } from './trusted-documents.ts';

/** The scope a token needs to register and list its agency's operations. */
export const REGISTER_SCOPE = 'documents:register';

/** What the registration endpoint needs from the gateway. */
export interface TrustedDocumentsEndpointOptions {
  store: TrustedDocuments;
  callerOf: (req: IncomingMessage) => Promise<Caller>;
  /** The API schema now served; operations are validated against it. */
  schema: () => GraphQLSchema | undefined;
  /** The query limits, so nothing is registered that would be refused when run. */
  rules: readonly ValidationRule[];
  maxTokens: number;
  maxBodyBytes: number;
  /**
   * Keep graphql-js's "Did you mean …?" in problems (FIELD_SUGGESTIONS_ENABLED); off unless told, as
   * they name schema fields a partner could not introspect in production.
   */
  fieldSuggestions?: boolean;
  log: Logger;
}

/**
 * `/trusted-documents`: `POST` a persisted-query manifest (`{"operations": [{"name", "body"}]}`) to
 * register its operations for the token's agency; `GET` lists them. Needs a token with
 * `documents:register`. Every operation must parse and validate against the served schema and pass
 * the query limits, or nothing is registered and each problem is named by its index.
 */
export function trustedDocumentsEndpoint(options: TrustedDocumentsEndpointOptions) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const caller = await options.callerOf(req);
      if (!caller.principal) throw new HttpError(401, 'A bearer token is required', ErrorCode.Unauthenticated);
      if (!caller.principal.scopes.has(REGISTER_SCOPE))
        throw new HttpError(403, `The token lacks the ${REGISTER_SCOPE} scope`, ErrorCode.Forbidden);
      const agency = caller.principal.agency;
      if (req.method === 'GET') return send(res, 200, { agency, operations: await options.store.list(agency) });
      if (req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        throw new HttpError(405, 'Use GET to list or POST to register');
      }
      const documents = checkedDocuments(await readBody(req, options.maxBodyBytes), options);
      await options.store.register(agency, documents);
      options.log.info({ agency, operations: documents.length }, 'trusted documents registered');
      send(res, 200, { agency, operations: documents.map(({ id, name }) => ({ id, name })) });
    } catch (error) {
      // The caller's refusals (a bad token, a bad purpose header) carry their status, as on /graphql.
      const status = error instanceof GraphQLError ? (error.extensions.http as { status?: unknown } | undefined)?.status : undefined;
      if (error instanceof GraphQLError && typeof status === 'number')
        return send(res, status, { errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
      if (error instanceof HttpError)
        return send(res, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] });
      if (error instanceof RangeError)
        return send(res, 400, { errors: [{ message: error.message, extensions: { code: ErrorCode.BadRequest } }] });
      const requestId = requestIdOf(req);
      options.log.error({ err: error, requestId }, 'trusted document registration failed');
      send(res, 500, { errors: [internalError(requestId)] });
    }
  };
}

function checkedDocuments(raw: string, options: TrustedDocumentsEndpointOptions): TrustedDocument[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
  const manifest = manifestSchema.safeParse(json);
  if (!manifest.success)
    throw new HttpError(
      400,
      `Not a persisted-query manifest: ${manifest.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  const schema = options.schema();
  if (!schema) throw new HttpError(503, 'The gateway has no schema loaded yet', ErrorCode.Internal);
  const problems: string[] = [];
  const problem = (index: number, message: string) =>
    problems.push(`operations.${index}: ${options.fieldSuggestions ? message : withoutSuggestions(message)}`);
  const documents = manifest.data.operations.map((operation, index) => {
    const document: TrustedDocument = { id: sha256Hex(operation.body), name: operation.name ?? null, body: operation.body };
    if (operation.agencies) problem(index, "agencies may be set only in TRUSTED_DOCUMENTS_FILE; a registration is for the token's agency");
    if (operation.id && operation.id !== document.id) problem(index, 'id is not the sha256 of body');
    try {
      const errors = validate(schema, parse(operation.body, { maxTokens: options.maxTokens }), [...specifiedRules, ...options.rules]);
      for (const error of errors) problem(index, error.message);
    } catch (error) {
      problem(index, error instanceof Error ? error.message : String(error));
    }
    return document;
  });
  if (problems.length > 0) throw new HttpError(400, `Nothing registered. ${problems.join(' | ')}`);
  if (documents.length === 0) throw new HttpError(400, 'Nothing to register: operations is empty');
  return documents;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
