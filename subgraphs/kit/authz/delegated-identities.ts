import { decodeJwt } from 'jose';
import { subgraphAudience } from '../../../lib/identity/internal-identity.ts';
import type { IdentityFor } from '../write/write-runner.ts';

interface Minted {
  token: string;
  audience: string;
  actor: string;
}

/**
 * The identities the gateway minted for this request to be presented between subgraphs. Subgraph `self`
 * presents to a subgraph the one naming it as audience and `self` as presenter, and hands on the ones that
 * subgraph is to present in turn (an owner notifying a keeper hands on the identity the keeper asks it back
 * with). Read, not verified: the subgraph they are for verifies them.
 */
export function delegatedIdentities(header: string | string[] | undefined, self: string): IdentityFor {
  const minted: Minted[] = [];
  for (const text of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const token = text.trim();
    // Most requests carry none: decoding an empty text would throw (and build a stack trace) on each.
    if (token === '') continue;
    try {
      const { aud, act } = decodeJwt<{ act?: { sub?: unknown } }>(token);
      if (typeof aud === 'string' && typeof act?.sub === 'string') minted.push({ token, audience: aud, actor: act.sub });
    } catch {
      // Not a token: nothing to present, and the callee would refuse it anyway.
    }
  }
  return (subgraph) => ({
    identity: minted.find((m) => m.audience === subgraphAudience(subgraph) && m.actor === self)?.token ?? '',
    onward: minted
      .filter((m) => m.actor === subgraph)
      .map((m) => m.token)
      .join(','),
  });
}
