import type { IncomingHttpHeaders } from 'node:http';
import { ACCEPTED_REQUEST_ID } from './request-scope.ts';

/** Headers on which the gateway tells a subgraph about the partner operation a fetch serves, for its audit trail. */
export const OPERATION_NAME_HEADER = 'liaison-operation-name';
export const OPERATION_HASH_HEADER = 'liaison-operation-hash';
/** The gateway's own id of the partner request; `x-request-id` carries the id the partner traces it by. */
export const GATEWAY_REQUEST_ID_HEADER = 'liaison-request-id';
/** The partner's own `x-request-id`, only when it sent an acceptable one. */
export const PARTNER_REQUEST_ID_HEADER = 'liaison-partner-request-id';

/** The partner request a subgraph fetch serves, as recorded in audit entries. */
export interface RequestMetadata {
  /** The gateway's own id of the partner request: entries of one response share it, and no partner chooses it. */
  requestId: string | null;
  /** The id the partner gave the request, beside the gateway's: two partners may well send the same one. */
  partnerRequestId: string | null;
  /** The partner's operation name, when it gave one. */
  operationName: string | null;
  /** SHA-256 (hex) of the partner's operation document. */
  operationHash: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Reads the metadata headers. They come from the gateway next to its signed identity, yet end up in
 * the audit trail, so anything not in the expected shape is recorded as absent rather than stored.
 */
export function requestMetadataOf(headers: IncomingHttpHeaders): RequestMetadata {
  return {
    requestId: matching(headers[GATEWAY_REQUEST_ID_HEADER], UUID),
    partnerRequestId: matching(headers[PARTNER_REQUEST_ID_HEADER], ACCEPTED_REQUEST_ID),
    operationName: matching(headers[OPERATION_NAME_HEADER], /^[_A-Za-z][_0-9A-Za-z]{0,199}$/),
    operationHash: matching(headers[OPERATION_HASH_HEADER], /^[0-9a-f]{64}$/),
  };
}

function matching(value: string | string[] | undefined, pattern: RegExp): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  return text !== undefined && pattern.test(text) ? text : null;
}
