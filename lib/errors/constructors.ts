import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { currentRequestScope } from '../observability/request-scope.ts';
import { ErrorCode, INTERNAL_MESSAGE } from './codes.ts';
import { codedError, type ErrorOptions, type HttpAnswer } from './coded-error.ts';

/**
 * One constructor per public code a resolver, a subgraph or the gateway's authorization raises, so each
 * code carries the same extensions wherever it comes from. The gateway's protections (limits, rate,
 * safelist) are in `protections.ts`.
 */

/**
 * The caller is not who it must be (no, a bad or an expired token). `http` sets the answer's status (401)
 * and a `WWW-Authenticate` challenge where the refusal comes before execution; a resolver passes neither.
 */
export function unauthenticated(message: string, options: ErrorOptions & { http?: HttpAnswer } = {}): GraphQLError {
  const { http, ...rest } = options;
  return codedError(message, ErrorCode.Unauthenticated, {}, rest, http);
}

/** Why a whole operation was refused: `reason` a stable word for programs, `fields` the coordinates concerned. */
export interface ForbiddenDetails {
  reason?: string;
  fields?: readonly string[];
}

/** The caller may not do this, and may know why. */
export function forbidden(message: string, details: ForbiddenDetails = {}): GraphQLError {
  return codedError(message, ErrorCode.Forbidden, { ...details });
}

/**
 * A field or type the caller's rules do not grant. `path` places it in the response, where the gateway
 * puts back the `null` it stands for; a subgraph resolver's error gets its path from graphql-js.
 */
export function unauthorizedField(message: string, options: ErrorOptions = {}): GraphQLError {
  return codedError(message, ErrorCode.UnauthorizedFieldOrType, {}, options);
}

/** One offending input field and what is wrong with it, e.g. `{ field: 'input.vin', message: 'must not be empty' }`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An input the client can fix. `field` names the offending argument or input field; a list of
 * {@link FieldProblem}s (`extensions.fields`) names every one, so a client fixes all at once.
 */
export function badUserInput(message: string, field?: string | readonly FieldProblem[], options: ErrorOptions = {}): GraphQLError {
  const details = typeof field === 'string' ? (field ? { field } : {}) : field ? { fields: field } : {};
  return codedError(message, ErrorCode.BadUserInput, details, options);
}

/** No such record, or none the caller may see: the two are indistinguishable on purpose. */
export function notFound(message: string): GraphQLError {
  return codedError(message, ErrorCode.NotFound);
}

/**
 * A field of a record the owning agency releases to the caller as a reference only. The message is
 * the same for every field and record, so it says nothing about what the field holds (or whether it
 * holds anything); `path` places it in the response, graphql-js sets it for a resolver's error.
 */
export function notReleased(): GraphQLError {
  return codedError(
    'Not released: the owning agency shares this record as a reference only; its other fields need its confirmation of the hit',
    ErrorCode.NotReleased,
  );
}

/**
 * What the client needs to resolve a conflict: the record's `currentVersion` (and `currentStatus` when
 * the status forbids the move) to re-read and retry, or the unique input `field` another record holds.
 */
export interface ConflictDetails {
  currentVersion?: number;
  currentStatus?: string;
  field?: string;
}

/** The write clashes with the record as it is now: another write came first, or its status forbids this. */
export function conflict(message: string, details: ConflictDetails = {}): GraphQLError {
  return codedError(message, ErrorCode.Conflict, { ...details });
}

/** The request itself is malformed (a header, not the operation): HTTP 400 before anything runs. */
export function badRequest(message: string): GraphQLError {
  return codedError(message, ErrorCode.BadRequest, {}, {}, { status: 400 });
}

/** A subgraph this request needed did not answer; `subgraph` names it so the client knows what is missing. */
export function subgraphUnavailable(message: string, subgraph: string): GraphQLError {
  return codedError(message, ErrorCode.SubgraphUnavailable, { subgraph });
}

/**
 * The database is away: a clean error the client may retry later, instead of a masked internal error
 * (and never a crash). `cause` stays on the error for the log.
 */
export function databaseUnavailable(cause: Error): GraphQLError {
  return codedError('The database is unavailable; retry later', ErrorCode.DatabaseUnavailable, {}, { originalError: cause });
}

/** An internal error as a client sees it: the generic message and the id of the request to quote to operators. */
export function internalError(requestId: string | undefined = currentRequestScope()?.requestId): GraphQLFormattedError {
  return { message: INTERNAL_MESSAGE, extensions: { code: ErrorCode.Internal, ...(requestId ? { requestId } : {}) } };
}
