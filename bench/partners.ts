import type { Caller, PurposeCode } from '../lib/authz/principal.ts';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { signDevToken } from '../lib/identity/dev-token.ts';
import { IDENTITY_HEADER, IdentitySigner } from '../lib/identity/internal-identity.ts';
import { DEMO_AGENCIES } from '../subgraphs/kit/seed-agencies.ts';

/** A partner system the benchmark speaks for. */
export interface Partner {
  name: string;
  agency: string;
  scopes: string[];
  jurisdictions: string[];
  purpose: PurposeCode;
}

const EUROPE = [...new Set(DEMO_AGENCIES.map((agency) => agency.country))].filter((country) => country !== 'US');

/** An investigator with identity details and case links, granted every European demo country. */
export const ANALYST: Partner = {
  name: 'analyst',
  agency: 'FRPN00001',
  scopes: ['wanted:read', 'wanted:pii', 'property:read', 'case:read', 'case:restricted'],
  jurisdictions: EUROPE,
  purpose: 'INVESTIGATION',
};

/** A border post checking people and vehicles: no case access. */
export const BORDER: Partner = {
  name: 'border',
  agency: 'DEBKA0001',
  scopes: ['wanted:read', 'wanted:pii', 'property:read'],
  jurisdictions: EUROPE,
  purpose: 'BORDER_CHECK',
};

/**
 * Request headers per partner, the same for every gateway: the partner's bearer token (which Liaison
 * verifies and turns into its own signed identity) and a pre-issued gateway-signed identity (which
 * the peers forward as is, since they have no identity signing of their own). The identity lives a
 * minute, so headers are re-issued before every measured run.
 */
export class PartnerHeaders {
  private readonly headers = new Map<string, Record<string, string>>();
  private constructor(private readonly signer: IdentitySigner) {}

  static async create(): Promise<PartnerHeaders> {
    return new PartnerHeaders(await IdentitySigner.create((await devKeyPair('gateway-identity')).privateJwk));
  }

  /** Signs fresh tokens for each partner; call before every run. */
  async refresh(partners: readonly Partner[]): Promise<void> {
    for (const partner of partners) {
      const caller: Caller = {
        principal: { subject: `bench-${partner.name}`, agency: partner.agency, scopes: new Set(partner.scopes), jurisdictions: partner.jurisdictions },
        purpose: { code: partner.purpose, reference: 'BENCH-1' },
      };
      this.headers.set(partner.name, {
        'content-type': 'application/json',
        authorization: `Bearer ${await signDevToken({ subject: `bench-${partner.name}`, agency: partner.agency, scopes: partner.scopes, jurisdictions: partner.jurisdictions, ttlSeconds: 3600 })}`,
        'liaison-purpose': partner.purpose,
        'liaison-purpose-reference': 'BENCH-1',
        // The signer reuses a token while it has 30 s left: enough for one run.
        [IDENTITY_HEADER]: await this.signer.sign(caller),
      });
    }
  }

  /** The headers of one partner, as of the last {@link refresh}. */
  of(partner: Partner): Record<string, string> {
    const headers = this.headers.get(partner.name);
    if (!headers) throw new Error(`no headers issued for partner ${partner.name}`);
    return headers;
  }
}
