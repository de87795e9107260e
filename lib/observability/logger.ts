import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestScope } from './request-scope.ts';
import { traceIds } from './tracing.ts';

export type { Logger };

/**
 * Structured JSON logs on stderr (or `destination`). A line written while serving a request carries
 * its `requestId`, and inside a trace its `trace_id` and `span_id`. Credentials (authorization headers, tokens, the gateway's signed identity) and
 * operation variables are redacted wherever they appear, so even an object logged in full never
 * carries a secret or a searched name.
 */
export function createLogger(service: string, level = 'info', destination: DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      name: service,
      level,
      mixin: () => ({ ...currentRequestScope(), ...traceIds() }),
      redact: {
        paths: [
          '*.authorization',
          '*.headers.authorization',
          '*["liaison-identity"]',
          '*.headers["liaison-identity"]',
          '*.headers.cookie',
          '*.token',
          'token',
          'authorization',
          '*.password',
          'variables',
          '*.variables',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
