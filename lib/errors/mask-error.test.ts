import { GraphQLError } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { memoryLog } from '../../test/support/memory-log.ts';
import { maskError } from './mask-error.ts';
import { runInRequestScope } from '../observability/request-scope.ts';

const log = memoryLog();
const mask = maskError(log.log);
/** Formats `error` as Apollo would hand it over: its message, its code, and the request it belongs to. */
const format = (error: GraphQLError, extensions: Record<string, unknown> = {}) =>
  runInRequestScope({ requestId: 'req-42' }, () =>
    mask({ message: error.message, path: ['wantedPerson'], extensions: { ...error.extensions, ...extensions } }, error),
  );

beforeEach(() => log.clear());

describe('maskError', () => {
  it.each([
    ['a database error', 'invalid byte sequence for encoding "UTF8": 0x00'],
    ['a query-planner error', 'Cannot plan: field "x" of type "Query" is not resolvable'],
    ['a failed context', 'Context creation failed: connect ECONNREFUSED 10.0.0.5:6379'],
  ])('turns %s coded INTERNAL_SERVER_ERROR into the generic message and the request id, and logs it in full', (_name, message) => {
    const error = new GraphQLError(message, { originalError: new Error(message), extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format(error)).toEqual({
      message: 'Internal server error',
      path: ['wantedPerson'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' },
    });
    const [line] = log.entries();
    expect(line).toMatchObject({ level: 50, msg: 'unexpected error masked for client', requestId: 'req-42', err: { message } });
  });

  it('masks an error without a code, or with a code no client is told about', () => {
    for (const extensions of [{}, { code: 'ECONNREFUSED' }]) {
      expect(format(new GraphQLError('connect ECONNREFUSED', { extensions })).message).toBe('Internal server error');
    }
  });

  it("relays a subgraph's masked error masked again, logging it at debug level only", () => {
    const relayed = new GraphQLError('Internal server error', {
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42', serviceName: 'wanted-persons' },
    });
    expect(format(relayed)).toEqual({
      message: 'Internal server error',
      path: ['wantedPerson'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42', serviceName: 'wanted-persons' },
    });
    expect(log.entries().filter((entry) => (entry.level ?? 0) > 20)).toEqual([]);
  });

  it('masks and logs an unmasked internal error a subgraph relayed, keeping which subgraph it was', () => {
    const relayed = new GraphQLError('relation "wanted_person" does not exist', {
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'wanted-persons' },
    });
    expect(format(relayed).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42', serviceName: 'wanted-persons' });
    expect(log.entries()).toMatchObject([{ level: 50, serviceName: 'wanted-persons' }]);
  });

  it('passes client codes through with their message, without stack traces', () => {
    for (const code of ['BAD_USER_INPUT', 'NOT_FOUND', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED', 'GRAPHQL_VALIDATION_FAILED']) {
      const formatted = format(new GraphQLError('yours to fix'), { code, stacktrace: ['at x'] });
      expect(formatted).toEqual({ message: 'yours to fix', path: ['wantedPerson'], extensions: { code } });
    }
    expect(log.entries()).toEqual([]);
  });
});
