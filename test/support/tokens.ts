import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { type DevTokenClaims, signDevToken } from '../../lib/identity/dev-token.ts';
import { DEMO_AGENCIES } from '../../subgraphs/kit/seed-agencies.ts';

/** A partner with every scope and every demo country, for tests about something other than authorization. */
export const FULL_PARTNER: DevTokenClaims = {
  subject: 'test-full-partner',
  agency: 'XXTEST001',
  scopes: ALL_SCOPES,
  jurisdictions: [...new Set(DEMO_AGENCIES.map((agency) => agency.country))],
  ttlSeconds: 3600,
};

/** `Authorization` header with a development token for the given claims (full access by default). */
export async function bearer(claims: Partial<DevTokenClaims> = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await signDevToken({ ...FULL_PARTNER, ...claims })}` };
}
