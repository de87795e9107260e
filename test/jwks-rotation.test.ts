import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWKS_REFETCH_COOLDOWN_MS } from '../gateway/auth/partner-verifier.ts';
import { graphql } from './support/graphql-client.ts';
import { type JwksServer, startJwksServer } from './support/jwks-server.ts';
import { craftToken, freshSigner } from './support/jwt.ts';
import { type Stack, startStack } from './support/stack.ts';
import { FULL_PARTNER } from './support/tokens.ts';

// The issuer's keys live behind a JWKS URL that the test controls, as an identity provider's would.
// The steps run in order: each one rotates the key set the previous one left behind.
const CLAIMS = { agency: FULL_PARTNER.agency, scope: 'wanted:read', jurisdictions: FULL_PARTNER.jurisdictions };
const QUERY = '{ wantedPerson(id: "W000000001") { id } }';

let stack: Stack;
let jwks: JwksServer;
let keyA: Awaited<ReturnType<typeof freshSigner>>;
let keyB: Awaited<ReturnType<typeof freshSigner>>;
let keyC: Awaited<ReturnType<typeof freshSigner>>;
beforeAll(async () => {
  [keyA, keyB, keyC] = await Promise.all([freshSigner('rotation-a'), freshSigner('rotation-b'), freshSigner('rotation-c')]);
  jwks = await startJwksServer([keyA.publicJwk]);
  stack = await startStack('pglite', { gatewayEnv: { AUTH_JWKS_URL: jwks.url } });
});
afterAll(async () => {
  await stack?.close();
  await jwks?.close();
});

async function askWith(signer: typeof keyA) {
  return graphql(stack.gatewayUrl, QUERY, undefined, { authorization: `Bearer ${await craftToken(signer, { claims: CLAIMS })}` });
}

/** Lets the refetch cooldown since the last fetch run out, so the next unknown kid may refetch. */
const pastCooldown = () => sleep(JWKS_REFETCH_COOLDOWN_MS + 150);

const ACCEPTED = { status: 200, data: { wantedPerson: { id: 'W000000001' } } };

describe('partner keys from a JWKS URL', () => {
  it('verifies with the published key, fetching the key set once and then serving it from cache', async () => {
    expect(jwks.hits()).toBe(0);
    expect(await askWith(keyA)).toEqual(ACCEPTED);
    expect(await askWith(keyA)).toEqual(ACCEPTED);
    expect(jwks.hits()).toBe(1);
  });

  it('accepts a key the issuer publishes later, after exactly one refetch', async () => {
    jwks.publish([keyA.publicJwk, keyB.publicJwk]);
    await pastCooldown();
    const before = jwks.hits();
    expect(await askWith(keyB)).toEqual(ACCEPTED);
    expect(jwks.hits()).toBe(before + 1);
    expect(await askWith(keyB)).toEqual(ACCEPTED);
    expect(await askWith(keyA)).toEqual(ACCEPTED);
    expect(jwks.hits()).toBe(before + 1);
  });

  it('refuses a kid the issuer never published, and a burst of such tokens costs the issuer one fetch', async () => {
    await pastCooldown();
    const before = jwks.hits();
    const burst = await Promise.all(Array.from({ length: 5 }, () => askWith(keyC)));
    for (const response of burst) {
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await askWith(keyC)).toMatchObject({ status: 401 });
    expect(jwks.hits()).toBe(before + 1);
  });

  it('stops accepting a retired key once the gateway has refetched the key set', async () => {
    jwks.publish([keyB.publicJwk]);
    await pastCooldown();
    const before = jwks.hits();
    // Any unknown kid makes the gateway refetch; from then on its copy no longer holds key A.
    expect(await askWith(keyC)).toMatchObject({ status: 401 });
    expect(jwks.hits()).toBe(before + 1);
    expect(await askWith(keyA)).toMatchObject({ status: 401, errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(await askWith(keyB)).toEqual(ACCEPTED);
  });
});
