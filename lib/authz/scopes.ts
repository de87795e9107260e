/**
 * The scope vocabulary partner tokens carry. Field rules in subgraph SDL name only these; the README
 * documents them and `npm run token` refuses others.
 */
export const SCOPES = {
  'wanted:read': 'wanted-person records: id, notice type, status, ownership, provenance',
  'wanted:pii': 'identity details of wanted persons: names, aliases, date of birth, nationality, sex, warrant, caveats; name search',
  'wanted:biometrics': 'distinguishing marks and photographs',
  'property:read': 'stolen property of every kind and its lookups',
  'case:read': 'cases, their status and history',
  'case:restricted': "who a case's subjects are, and which cases a person is in",
  'audit:read': "the own agency's audit trail",
  'wanted:write': 'issue, amend and cancel wanted notices (own agency only)',
  'property:write': 'report, amend and recover stolen property (own agency only)',
  'case:write': 'open cases, change status, link subjects and property (own agency only)',
  'documents:register': "register the own agency's operations as trusted documents (POST /trusted-documents)",
  'hit-confirmations:read': 'hit confirmation requests the own agency made or must answer',
  'hit-confirmations:write': "ask an owner to confirm a hit, answer requests about the own agency's records, withdraw the own requests",
} as const;

export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

/**
 * Every scope a token may carry: the vocabulary above plus, for each listed subgraph, the
 * `<subgraph>:read` and `<subgraph>:write` scopes an onboarded agency's subgraph uses by convention.
 */
export function knownScopes(subgraphNames: readonly string[]): string[] {
  return [...new Set([...ALL_SCOPES, ...subgraphNames.flatMap((name) => [`${name}:read`, `${name}:write`])])];
}

/**
 * What one scope is: a word of letters, digits and `. _ : / -`, as `wanted:read` or an issuer's
 * `api://liaison/read`. Never a space or a comma, so a list of scopes splits the same way everywhere:
 * in a token's `scope`, the gateway's identity for subgraphs and `npm run token -- --scopes a,b`.
 */
export const SCOPE_WORD = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$/;
/** More than this many scopes in one token is refused. */
export const MAX_SCOPES = 100;

export const isScopeWord = (value: unknown): value is string => typeof value === 'string' && SCOPE_WORD.test(value);

/**
 * The scopes of a space-separated `scope` claim (RFC 8693 §4.2), or null when it is not exactly words
 * separated by single spaces: a doubled, leading or trailing space, a tab or an odd character refuses the
 * whole list rather than being read one way here and another there. The empty string is no scopes.
 */
export function parseScopeList(value: unknown): string[] | null {
  if (typeof value !== 'string') return null;
  if (value === '') return [];
  const scopes = value.split(' ');
  return scopes.length <= MAX_SCOPES && scopes.every(isScopeWord) ? scopes : null;
}

/** The `scope` claim for scopes that are each {@link SCOPE_WORD}s; throws on any other. */
export function formatScopeList(scopes: Iterable<string>): string {
  const list = [...scopes];
  const bad = list.find((scope) => !isScopeWord(scope));
  if (bad !== undefined) throw new Error(`not a scope: ${JSON.stringify(bad)} (a scope is a word of letters, digits and . _ : / -)`);
  return list.join(' ');
}
