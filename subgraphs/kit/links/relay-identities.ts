import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { Caller } from '../../../lib/authz/principal.ts';
import { IdentitySigner, RELAY_ISSUER } from '../../../lib/identity/internal-identity.ts';
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
 * development relay key every development subgraph trusts; `null`, none). A request's own identities live
 * 30 s and are good once, so a keeper that is down longer can only be told later with new ones. They carry
 * the gateway's delegated claims (one request id, the writer as caller) under the relay's own issuer, and
 * each names the one operation it is good for: at the keeper `refreshLinkSnapshots`, at this owner the
 * keeper's read-back of ownership. Keepers and owners accept them where the key's public half is in
 * NOTIFICATION_JWKS_FILE, for that operation only, so the relay's key opens nothing else in a writer's name.
 */
export function relayIdentities(self: string, key: JWK | null | undefined): RelayIdentities {
  if (key === null) return async () => null;
  let signer: Promise<IdentitySigner> | undefined;
  const signing = () =>
    (signer ??= (key ? Promise.resolve(key) : devKeyPair('notification-relay').then((pair) => pair.privateJwk)).then((jwk) =>
      IdentitySigner.create(jwk, RELAY_ISSUER),
    ));
  return async (keeper, caller) => {
    const requestId = randomUUID();
    const s = await signing();
    const [identity, onward] = await Promise.all([
      s.sign(caller, { subgraph: keeper, requestId, actor: self, operation: 'refreshLinkSnapshots' }),
      s.sign(caller, { subgraph: self, requestId, actor: keeper, operation: 'linkedOwnership' }),
    ]);
    return { identity, onward, requestId };
  };
}
