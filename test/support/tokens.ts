import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { type DevTokenClaims, signDevToken } from '../../lib/identity/dev-token.ts';
import { DEMO_AGENCIES } from '../../subgraphs/kit/seed/seed-agencies.ts';

/** A partner with every scope and every demo country, for tests about something other than authorization. */
export const FULL_PARTNER: DevTokenClaims = {
  subject: 'test-full-partner',
  agency: 'XXTEST001',
  scopes: ALL_SCOPES,
  jurisdictions: [...new Set(DEMO_AGENCIES.map((agency) => agency.country))],
  ttlSeconds: 3600,
};

/** The purpose tests declare unless they say otherwise: a routine one, not investigative. */
export const TEST_PURPOSE = { code: 'OPERATIONS', reference: 'TEST-REF-1' } as const;

/**
 * `Authorization` with a development token for the given claims (full access by default), and the
 * purpose headers personal fields need; `purpose: null` leaves them out.
 */
export async function bearer(
  claims: Partial<DevTokenClaims> = {},
  purpose: { code: string; reference?: string } | null = TEST_PURPOSE,
): Promise<Record<string, string>> {
  return {
    authorization: `Bearer ${await signDevToken({ ...FULL_PARTNER, ...claims })}`,
    ...(purpose
      ? { 'liaison-purpose': purpose.code, ...(purpose.reference ? { 'liaison-purpose-reference': purpose.reference } : {}) }
      : {}),
  };
}
