import { describe, expect, it } from 'vitest';
import { formatScopeList, knownScopes, parseScopeList, SCOPE_WORD } from './scopes.ts';

describe('scope lists', () => {
  it('split into words at single spaces only, the empty list being no scopes', () => {
    expect(parseScopeList('wanted:read case:read')).toEqual(['wanted:read', 'case:read']);
    expect(parseScopeList('api://liaison/read openid')).toEqual(['api://liaison/read', 'openid']);
    expect(parseScopeList('')).toEqual([]);
  });

  it.each([
    ' ',
    '   ',
    'a  b',
    ' a',
    'a ',
    'a\tb',
    'a,b',
    'wanted:réad',
    'a\u0000',
    'x'.repeat(101),
    Array(101).fill('a').join(' '),
    42,
    ['a'],
  ])('refuse %j', (value) => {
    expect(parseScopeList(value)).toBeNull();
  });

  it('join back to exactly what they split from', () => {
    expect(parseScopeList(formatScopeList(['wanted:read', 'case:read']))).toEqual(['wanted:read', 'case:read']);
    expect(() => formatScopeList(['wanted:read case:read'])).toThrow('not a scope: "wanted:read case:read"');
    expect(() => formatScopeList([''])).toThrow('not a scope');
  });

  it('hold every scope of the vocabulary and of onboarded subgraphs', () => {
    expect(knownScopes(['wanted-persons', 'vehicle_registry']).every((scope) => SCOPE_WORD.test(scope))).toBe(true);
  });
});
