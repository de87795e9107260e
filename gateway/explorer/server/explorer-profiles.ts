import { parse } from 'graphql';
import { FieldRules } from '../../../lib/authz/field-rules.ts';
import { SCOPES, type Scope } from '../../../lib/authz/scopes.ts';
import { signDevToken } from '../../../lib/identity/dev-token.ts';

/** A demo partner the development explorer offers, so a newcomer can try the rules without minting tokens. */
interface DemoProfile {
  name: string;
  description: string;
  agency: string;
  scopes: Scope[];
  jurisdictions: string[];
}

// Jurisdictions of the demo agencies (subgraphs/kit/seed/seed-agencies.ts): the examples span them all.
const DEMO_COUNTRIES = ['FR', 'DE', 'NL', 'ES', 'IT', 'GB', 'US', 'PL', 'BE'];

const PROFILES: DemoProfile[] = [
  {
    name: 'analyst FR (read + PII)',
    description:
      "Police nationale analyst: persons with identity details, property, cases and who is in them, in every demo country; issues its agency's wanted notices and asks owners to confirm hits.",
    agency: 'FRPN00001',
    // wanted:write and the hit confirmation scopes too, so the explorer's examples of writes run as a demo profile.
    scopes: [
      'wanted:read',
      'wanted:pii',
      'wanted:write',
      'property:read',
      'case:read',
      'case:restricted',
      'hit-confirmations:read',
      'hit-confirmations:write',
    ],
    jurisdictions: DEMO_COUNTRIES,
  },
  {
    name: 'border officer DE (read-only)',
    description: 'Bundeskriminalamt border check: whether a person or item is sought, without identity details or cases.',
    agency: 'DEBKA0001',
    scopes: ['wanted:read', 'property:read'],
    jurisdictions: ['DE', 'FR', 'NL', 'BE', 'PL'],
  },
  {
    name: 'auditor',
    description: "Policía Nacional auditor: the own agency's audit trail and case status, no personal data.",
    agency: 'ESPN00001',
    scopes: ['audit:read', 'case:read'],
    jurisdictions: ['ES'],
  },
  {
    name: 'anonymous',
    description: 'No token: the gateway answers, but every record is hidden.',
    agency: '',
    scopes: [],
    jurisdictions: [],
  },
];

/** Whether a profile may read one rule-bearing type or field, as `Type` or `Type.field`. */
export interface FieldAccess {
  coordinate: string;
  /** OR-list of AND-lists of scopes, as written in `@requiresScopes`. */
  requires: string[][];
  /** `@policy` names that also apply; they depend on the request (e.g. its purpose), so are only listed. */
  policies: string[][];
  allowed: boolean;
}

/** A demo profile as `GET /explorer/dev-profiles` returns it. */
export interface DevProfile extends Omit<DemoProfile, 'scopes'> {
  scopes: { scope: string; meaning: string }[];
  /** Development token for `Authorization: Bearer`; null for the anonymous profile. */
  token: string | null;
  access: FieldAccess[];
}

/**
 * The demo profiles with freshly minted development tokens and, per scope-protected type and field of
 * the supergraph, whether each may read it. Development only: the tokens are signed with the dev key.
 */
export async function devProfiles(supergraphSdl: string, ttlSeconds = 8 * 3600): Promise<DevProfile[]> {
  const rules = new FieldRules(parse(supergraphSdl));
  const ruled = rules
    .coordinates()
    .map((coordinate) => {
      const [type, field] = coordinate.split('.') as [string, string | undefined];
      return { coordinate, rule: field ? rules.fieldRule(type, field)! : rules.typeRule(type)! };
    })
    .filter(({ rule }) => rule.scopes.length > 0)
    .sort((a, b) => a.coordinate.localeCompare(b.coordinate));
  return Promise.all(
    PROFILES.map(async (profile) => {
      const held = new Set<string>(profile.scopes);
      const anonymous = profile.scopes.length === 0;
      return {
        ...profile,
        scopes: profile.scopes.map((scope) => ({ scope, meaning: SCOPES[scope] })),
        token: anonymous
          ? null
          : await signDevToken({
              subject: `demo-${profile.agency.toLowerCase()}`,
              agency: profile.agency,
              scopes: profile.scopes,
              jurisdictions: profile.jurisdictions,
              ttlSeconds,
            }),
        access: ruled.map(({ coordinate, rule }) => ({
          coordinate,
          requires: rule.scopes,
          policies: rule.policies,
          allowed: !anonymous && rule.scopes.some((all) => all.every((scope) => held.has(scope))),
        })),
      };
    }),
  );
}
