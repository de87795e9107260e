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
} as const;

export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];

/**
 * Every scope a token may carry: the vocabulary above plus, for each listed subgraph, the
 * `<subgraph>:read` and `<subgraph>:write` scopes an onboarded agency's subgraph uses by convention.
 */
export function knownScopes(subgraphNames: readonly string[]): string[] {
  return [...ALL_SCOPES, ...subgraphNames.flatMap((name) => [`${name}:read`, `${name}:write`])];
}
