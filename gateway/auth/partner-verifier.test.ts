import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, partnerVerifier } from './partner-verifier.ts';

describe('partner verifier', () => {
  it('trusts a verified token again only until it expires', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    const verify = partnerVerifier({ jwks: [jwk], issuer: 'iss', audience: 'aud', algorithms: ['ES256'], clockToleranceSeconds: 0 });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ agency: 'FRPN00001', scope: 'wanted:read', jurisdictions: ['FR'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('partner')
      .setIssuer('iss')
      .setAudience('aud')
      .setIssuedAt(now)
      .setExpirationTime(now + 2)
      .sign(privateKey);
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: 'partner', agency: 'FRPN00001' });
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: 'partner' });
    await new Promise((resolve) => setTimeout(resolve, (now + 2) * 1000 - Date.now() + 50));
    await expect(verify(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('never remembers a refused token', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const verify = partnerVerifier({ jwks: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }], issuer: 'iss', audience: 'aud', algorithms: ['ES256'], clockToleranceSeconds: 0 });
    const forged = await new SignJWT({ agency: 'FRPN00001', scope: '' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('x').setIssuer('iss').setAudience('aud').setExpirationTime('1h').sign(other.privateKey);
    await expect(verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(AuthenticationError);
  });
});
