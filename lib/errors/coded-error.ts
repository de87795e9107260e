import type { HeaderMap } from '@apollo/server';
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';
import type { BorrowedCode, ErrorCode } from './codes.ts';

/**
 * What a constructor hands on to GraphQLError besides the extensions: where in the document or the
 * response the error is, and what caused it (kept for the log; clients never see it).
 */
export type ErrorOptions = Pick<GraphQLErrorOptions, 'nodes' | 'source' | 'positions' | 'path' | 'originalError'>;

/**
 * The HTTP answer Apollo Server gives an error raised outside execution (authentication, limits,
 * refusals before parsing). Apollo reads `extensions.http` and strips it: clients see the status, not the key.
 */
export interface HttpAnswer {
  status: number;
  headers?: HeaderMap;
}

type Code = (typeof ErrorCode)[keyof typeof ErrorCode] | (typeof BorrowedCode)[keyof typeof BorrowedCode];

/**
 * The one place a coded GraphQLError is built. Extensions come in the order clients have always seen
 * them: the code, then the details in the order given, then Apollo's `http`.
 */
export function codedError(
  message: string,
  code: Code,
  details: Readonly<Record<string, unknown>> = {},
  options: ErrorOptions = {},
  http?: HttpAnswer,
): GraphQLError {
  return new GraphQLError(message, { ...options, extensions: { code, ...details, ...(http ? { http } : {}) } });
}
