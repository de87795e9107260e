import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../lib/observability/logger.ts';

/** One parsed pino log line. */
export type LogEntry = Record<string, unknown> & { msg?: string; level?: number };

/** The services' own logger (redaction, request ids) writing into memory, so a test can assert what operators would read. */
export interface MemoryLog {
  log: Logger;
  entries(): LogEntry[];
  clear(): void;
}

export function memoryLog(): MemoryLog {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return {
    log: createLogger('test', 'info', stream),
    entries: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogEntry),
    clear: () => {
      chunks.length = 0;
    },
  };
}
