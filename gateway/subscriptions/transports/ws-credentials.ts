import type { IncomingHttpHeaders } from 'node:http';
import { PURPOSE_HEADER, PURPOSE_REFERENCE_HEADER } from '../../auth/index.ts';

/** The `connection_init` payload fields that carry credentials, named (case-insensitively) as the HTTP headers they stand for. */
export const CREDENTIAL_FIELDS = ['authorization', PURPOSE_HEADER, PURPOSE_REFERENCE_HEADER] as const;

/**
 * The credentials of a `connection_init` payload as the request headers Node would have handed over, so
 * that a WebSocket is authenticated by the very code that authenticates HTTP requests: each value is a
 * string, given once, and is re-encoded as UTF-8 bytes read one per character (Latin-1), as Node presents
 * header values. Other payload fields are ignored. Returns the reason when the payload is malformed.
 */
export function headersOfInit(payload: Readonly<Record<string, unknown>> | undefined): IncomingHttpHeaders | string {
  const headers: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(payload ?? {})) {
    const name = key.toLowerCase();
    if (!(CREDENTIAL_FIELDS as readonly string[]).includes(name)) continue;
    if (name in headers) return `connection_init payload: ${name} given twice`;
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') return `connection_init payload: ${name} must be a string`;
    headers[name] = Buffer.from(value, 'utf8').toString('latin1');
  }
  return headers;
}
