import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs on stderr. Authorization headers and tokens are redacted wherever they appear,
 * so a request logged in full never carries a credential.
 */
export function createLogger(service: string, level = 'info'): Logger {
  return pino(
    {
      name: service,
      level,
      redact: {
        paths: ['*.authorization', '*.headers.authorization', '*.token', 'token', 'authorization', '*.password'],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
