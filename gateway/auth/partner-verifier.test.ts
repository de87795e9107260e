import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from './authentication-error.ts';
import { partnerVerifier } from './partner-verifier.ts';

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
    const verify = partnerVerifier({
      jwks: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }],
      issuer: 'iss',
      audience: 'aud',
      algorithms: ['ES256'],
      clockToleranceSeconds: 0,
    });
    const forged = await new SignJWT({ agency: 'FRPN00001', scope: '' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('x')
      .setIssuer('iss')
      .setAudience('aud')
      .setExpirationTime('1h')
      .sign(other.privateKey);
    await expect(verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('partner token claims', async () => {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const options = {
    jwks: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }],
    issuer: 'iss',
    audience: 'aud',
    algorithms: ['ES256'],
    clockToleranceSeconds: 30,
  };
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ agency: 'FRPN00001', scope: 'wanted:read', sub: 'partner', iat: now, exp: now + 3600, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('iss')
      .setAudience('aud')
      .sign(privateKey);
  const refusal = async (verify: ReturnType<typeof partnerVerifier>, claims: Record<string, unknown>) => {
    const error = await verify(`Bearer ${await sign(claims)}`).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    return (error as Error).message;
  };

  it('bounds the lifetime by maxTokenLifetimeSeconds, exactly, and 24 h by default', async () => {
    const hour = partnerVerifier({ ...options, maxTokenLifetimeSeconds: 3600 });
    expect(await hour(`Bearer ${await sign({ exp: now + 3600 })}`)).toMatchObject({ subject: 'partner' });
    expect(await refusal(hour, { exp: now + 3601 })).toBe('token lifetime (exp - iat) of 3601 s exceeds the maximum of 3600 s');
    expect(await refusal(partnerVerifier(options), { exp: now + 86_401 })).toContain('exceeds the maximum of 86400 s');
  });

  it('applies the clock tolerance to iat, and requires it', async () => {
    const verify = partnerVerifier(options);
    expect(await verify(`Bearer ${await sign({ iat: now + 20 })}`)).toMatchObject({ subject: 'partner' });
    expect(await refusal(verify, { iat: now + 60 })).toContain('"iat" claim timestamp check failed (it should be in the past)');
    expect(await refusal(verify, { iat: undefined })).toContain('missing required "iat" claim');
  });

  it.each([
    ['a numeric sub', { sub: 42 }, 'token has no valid sub claim'],
    ['an empty sub', { sub: '' }, 'token has no valid sub claim'],
    ['a scope with two spaces', { scope: 'wanted:read  case:read' }, 'token has no valid scope claim'],
    ['an scp element with a space', { scope: undefined, scp: ['wanted:read case:read'] }, 'token has no valid scope claim'],
    ['an scp that is a string', { scope: undefined, scp: 'wanted:read' }, 'token has no valid scope claim'],
  ])('refuses %s', async (_name, claims, reason) => {
    expect(await refusal(partnerVerifier(options), claims)).toBe(reason);
  });

  it('reads scope and scp alike, and an empty scope as no scopes', async () => {
    const verify = partnerVerifier(options);
    expect([...(await verify(`Bearer ${await sign({ scope: 'wanted:read case:read' })}`))!.scopes]).toEqual(['wanted:read', 'case:read']);
    expect([...(await verify(`Bearer ${await sign({ scope: undefined, scp: ['wanted:read', 'case:read'] })}`))!.scopes]).toEqual([
      'wanted:read',
      'case:read',
    ]);
    expect([
      ...(await verify(`Bearer ${await sign({ scope: 'case:read wanted:read', scp: ['wanted:read', 'case:read'] })}`))!.scopes,
    ]).toHaveLength(2);
    expect((await verify(`Bearer ${await sign({ scope: '' })}`))!.scopes.size).toBe(0);
  });
});
