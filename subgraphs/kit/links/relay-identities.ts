import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { Caller } from '../../../lib/authz/principal.ts';
import { IdentitySigner } from '../../../lib/identity/internal-identity.ts';
import { devKeyPair } from '../../../lib/identity/dev-keys.ts';
import type { DelegatedIdentity } from '../write/write-runner.ts';

/** What one delivery presents to a keeper: its identity, the one it asks back with, and their request id. */
export interface PresentedIdentity extends DelegatedIdentity {
  requestId: string;
}

/** Fresh identities for one delivery to `keeper` on behalf of `caller`; null when this subgraph cannot mint any. */
export type RelayIdentities = (keeper: string, caller: Caller) => Promise<PresentedIdentity | null>;

/**
 * Identities minted per delivery with `key` (NOTIFICATION_IDENTITY_KEY_FILE; outside production, absent, the
 * development gateway key every development subgraph trusts; `null`, none). A request's own identities live
 * 30 s and are good once, so a keeper that is down longer can only be told later with new ones: for keeper
 * and owner alike they look like the gateway's delegated identities (same claims, one request id, the
 * writer as caller), and are accepted where the key's public half is in IDENTITY_JWKS_FILE.
 */
export function relayIdentities(self: string, key: JWK | null | undefined): RelayIdentities {
  if (key === null) return async () => null;
  let signer: Promise<IdentitySigner> | undefined;
  const signing = () =>
    (signer ??= (key ? Promise.resolve(key) : devKeyPair('gateway-identity').then((pair) => pair.privateJwk)).then((jwk) =>
      IdentitySigner.create(jwk),
    ));
  return async (keeper, caller) => {
    const requestId = randomUUID();
    const s = await signing();
    const [identity, onward] = await Promise.all([
      s.sign(caller, { subgraph: keeper, requestId, actor: self }),
      s.sign(caller, { subgraph: self, requestId, actor: keeper }),
    ]);
    return { identity, onward, requestId };
  };
}
