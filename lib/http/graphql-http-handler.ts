import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction, type HTTPGraphQLRequest } from '@apollo/server';
import { ErrorCode, internalError } from '../errors/index.ts';
import type { Logger } from '../observability/logger.ts';

/** Options for {@link graphqlHttpHandler}. */
export interface GraphqlHttpHandlerOptions<C extends BaseContext> {
  /**
   * Builds the per-request context (loaders, repositories, caller). `request` is what Apollo will run,
   * parsed but not yet executed: the context may refuse it, or fill in a registered query.
   */
  context: ContextFunction<[{ req: IncomingMessage; request: HTTPGraphQLRequest }], C>;
  /** Largest accepted request body in bytes; larger bodies get 413. */
  maxBodyBytes?: number;
  /** Where an unexpected failure is logged in full; the client only sees its request id. */
  log: Logger;
}

/** A request refused before GraphQL: its status, message and code go to the client as a GraphQL-shaped error. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = ErrorCode.BadRequest,
  ) {
    super(message);
  }
}

/**
 * Serves an Apollo Server over plain `node:http`: reads and parses the body with a size limit, and
 * answers malformed bodies with a GraphQL-shaped error instead of a 500.
 */
export function graphqlHttpHandler<C extends BaseContext>(apollo: ApolloServer<C>, options: GraphqlHttpHandlerOptions<C>) {
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const raw = req.method === 'POST' ? await readBody(req, maxBodyBytes) : '';
      const body = req.method === 'POST' ? parseBody(raw, headers.get('content-type')) : undefined;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const request: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: request,
        context: () => options.context({ req, request }),
      });
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (!(error instanceof HttpError)) options.log.error({ err: error }, 'unexpected error masked for client');
      const status = error instanceof HttpError ? error.status : 500;
      const body = error instanceof HttpError ? { message: error.message, extensions: { code: error.code } } : internalError();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}) });
      res.end(JSON.stringify({ errors: [body] }));
    }
  };
}

/** Past the limit the rest of the body is read and dropped up to this many bytes, so the client sees the 413. */
const DRAIN_FACTOR = 8;

/** Reads a request body up to `limit` bytes; past it, rejects with a 413 {@link HttpError}. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpError(413, `Request body exceeds ${limit} bytes`);
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      reject(tooLarge());
      if (size > limit * DRAIN_FACTOR) req.destroy();
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    if (declared > limit) reject(tooLarge());
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!contentType?.toLowerCase().includes('application/json')) return raw;
  if (raw.trim() === '') throw new HttpError(400, 'Request body is empty; send a JSON object with a "query" field');
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'Request body is not valid JSON');
  }
}
