import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { signDevToken } from './dev-token.ts';

const claims = { subject: 'dev-partner', agency: 'FRPN00001', scopes: ['wanted:read', 'case:read'], jurisdictions: ['FR'], ttlSeconds: 60 };

describe('development tokens', () => {
  it('join the scopes with single spaces', async () => {
    expect(decodeJwt(await signDevToken(claims))).toMatchObject({ sub: 'dev-partner', scope: 'wanted:read case:read' });
  });

  it.each([
    ['a scope with a space', { scopes: ['wanted:read case:read'] }, 'not a scope: "wanted:read case:read"'],
    ['an empty scope', { scopes: ['wanted:read', ''] }, 'not a scope: ""'],
    ['a subject with a space', { subject: 'dev partner' }, 'not a token subject: "dev partner"'],
    ['an empty subject', { subject: '' }, 'not a token subject: ""'],
  ])('refuse %s, naming it', async (_name, override, message) => {
    await expect(signDevToken({ ...claims, ...override })).rejects.toThrow(message);
  });
});
