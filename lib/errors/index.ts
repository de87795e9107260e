/**
 * The catalogue of public errors: the codes clients may rely on, one constructor per code, and the
 * `formatError` that masks everything else. Import errors from here, never build a coded GraphQLError by hand.
 */
export { BorrowedCode, ErrorCode, INTERNAL_MESSAGE, isClientCode } from './codes.ts';
export type { ErrorOptions, HttpAnswer } from './coded-error.ts';
export {
  badRequest,
  badUserInput,
  type ConflictDetails,
  conflict,
  databaseUnavailable,
  type FieldProblem,
  forbidden,
  type ForbiddenDetails,
  internalError,
  notFound,
  notReleased,
  subgraphUnavailable,
  unauthenticated,
  unauthorizedField,
} from './constructors.ts';
export { maskError } from './mask-error.ts';
export {
  isQueryTooComplex,
  type LimitName,
  operationResolutionFailure,
  persistedQueryNotInList,
  queryTooComplex,
  rateLimited,
} from './protections.ts';
export {
  graphqlParseFailed,
  type Reconnect,
  shuttingDown,
  slowConsumer,
  subscriptionsOnly,
  type SubscriptionLimit,
  tokenExpired,
  tooManySubscriptions,
} from './streams.ts';
export { eventsMissed, eventUndecided, graphqlValidationFailed, queuedTooLong } from './record-events.ts';
