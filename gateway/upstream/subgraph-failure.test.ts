import { describe, expect, it } from 'vitest';
import { classifyFailure } from './subgraph-failure.ts';

const failed = (code: string) => new TypeError('fetch failed', { cause: Object.assign(new Error('connect failed'), { code }) });

describe('a failed TLS handshake with a subgraph', () => {
  it.each([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ])('is unreachable, not retried, and names %s to operators only', (code) => {
    expect(classifyFailure(failed(code), false, 1_000)).toEqual({
      reason: 'unreachable',
      detail: 'TLS handshake failed',
      operatorDetail: `TLS handshake failed: ${code}`,
      retryable: false,
    });
  });

  it('leaves a refused or reset connection as it was: its code in the message, retried', () => {
    expect(classifyFailure(failed('ECONNREFUSED'), false, 1_000)).toEqual({
      reason: 'unreachable',
      detail: 'ECONNREFUSED',
      retryable: true,
    });
    expect(classifyFailure(failed('ECONNRESET'), false, 1_000)).toEqual({ reason: 'unreachable', detail: 'ECONNRESET', retryable: true });
  });
});
