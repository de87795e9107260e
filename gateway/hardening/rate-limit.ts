import { createHash } from 'node:crypto';
import type { Caller } from '../../lib/authz/principal.ts';
import { rateLimited } from '../../lib/errors/index.ts';
import type { HardeningConfig } from './hardening-config.ts';
import type { BucketRequest, TokenBuckets } from './token-bucket.ts';

/**
 * Per-partner rate limiting: a partner's request takes one token from its subject's bucket and one
 * from its agency's, so neither one system nor one agency's many systems can crowd out the others.
 * A request without a token takes from its address's bucket. Throws 429 `RATE_LIMITED` when empty.
 */
export function rateLimit(buckets: TokenBuckets, rules: NonNullable<HardeningConfig['rateLimit']>, keyPrefix: string) {
  // A partner's two buckets are taken by one script, so on a cluster they must share a slot: the
  // agency is their hash tag (`{…}`), which also spreads agencies over the nodes.
  const partnerKey = (agency: string, kind: string) => `${keyPrefix}:gateway:rate:{${agency}}:${kind}`;
  return async (caller: Caller, remoteAddress: string | undefined): Promise<void> => {
    const principal = caller.principal;
    const requests: BucketRequest[] = principal
      ? [
          // Subjects may be personal identifiers: Redis keys carry a digest, never the subject.
          {
            key: partnerKey(principal.agency, `subject:${createHash('sha256').update(principal.subject).digest('hex').slice(0, 32)}`),
            rule: rules.subject,
          },
          { key: partnerKey(principal.agency, 'agency'), rule: rules.agency },
        ]
      : [{ key: `${keyPrefix}:gateway:rate:anonymous:${remoteAddress ?? 'unknown'}`, rule: rules.anonymous }];
    const decision = await buckets.take(requests);
    if (!decision.allowed) throw rateLimited(principal ? (decision.bucket === 0 ? 'partner' : 'agency') : 'address', decision.retryAfterMs);
  };
}
