import { randomUUID } from 'node:crypto';
import type { Caller, PurposeCode } from '../lib/authz/principal.ts';
import { devKeyPair } from '../lib/identity/dev-keys.ts';
import { signDevToken } from '../lib/identity/dev-token.ts';
import { IDENTITY_HEADER, IdentitySigner } from '../lib/identity/internal-identity.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../lib/observability/request-metadata.ts';
import { DEMO_AGENCIES } from '../subgraphs/kit/seed/seed-agencies.ts';

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
 * Request headers per partner and user, the same for every gateway: the user's bearer token (which
 * Liaison verifies and turns into its own signed identity) and a pre-issued gateway-signed identity
 * (which the peers forward as is, having no identity signing of their own). Each of the benchmark's
 * connections is one user of the partner's, with a subject of its own, as officers at their desks
 * are: so no gateway can fold different users' requests together, which a single shared identity
 * would let Hive Gateway's in-flight deduplication do. Identities live a minute, so they are
 * re-issued before every measured run.
 */
/** The caller a partner's user `subject` is, with the partner's declared purpose. */
export function callerOf(partner: Partner, subject: string): Caller {
  return {
    principal: { subject, agency: partner.agency, scopes: new Set(partner.scopes), jurisdictions: partner.jurisdictions },
    purpose: { code: partner.purpose, reference: 'BENCH-1' },
  };
}

export class PartnerHeaders {
  private readonly headers = new Map<string, Record<string, string>[]>();
  private readonly bearers = new Map<string, string>();
  private readonly callers = new Map<string, Caller[]>();
  private constructor(
    private readonly signer: IdentitySigner,
    private readonly users: number,
  ) {}

  static async create(users: number): Promise<PartnerHeaders> {
    return new PartnerHeaders(await IdentitySigner.create((await devKeyPair('gateway-identity')).privateJwk), users);
  }

  /** Signs fresh identities for each partner's users; call before every run. */
  async refresh(partners: readonly Partner[]): Promise<void> {
    for (const partner of partners) {
      const headers: Record<string, string>[] = [];
      const callers: Caller[] = [];
      for (let user = 0; user < this.users; user += 1) {
        const subject = `bench-${partner.name}-${user}`;
        const caller = callerOf(partner, subject);
        let bearer = this.bearers.get(subject);
        if (!bearer) {
          bearer = await signDevToken({
            subject,
            agency: partner.agency,
            scopes: partner.scopes,
            jurisdictions: partner.jurisdictions,
            ttlSeconds: 24 * 3600,
          });
          this.bearers.set(subject, bearer);
        }
        callers.push(caller);
        headers.push({
          'content-type': 'application/json',
          authorization: `Bearer ${bearer}`,
          'liaison-purpose': partner.purpose,
          'liaison-purpose-reference': 'BENCH-1',
          // Who the user is, for the peers to re-issue per subgraph fetch (bench/gateways/identity-reissuer.ts);
          // Liaison ignores it and signs its own.
          [IDENTITY_HEADER]: await this.signer.sign(caller, { subgraph: 'any', requestId: 'bench' }),
        });
      }
      this.headers.set(partner.name, headers);
      this.callers.set(partner.name, callers);
    }
  }

  /** The headers of one request straight to `subgraph` by one partner's user: an identity for it alone, once. */
  async direct(partner: Partner, user: number, subgraph: string): Promise<Record<string, string>> {
    const caller = this.callers.get(partner.name)?.[user % this.users];
    if (!caller) throw new Error(`no caller issued for partner ${partner.name}`);
    const requestId = randomUUID();
    return {
      ...this.of(partner, user),
      [IDENTITY_HEADER]: await this.signer.sign(caller, { subgraph, requestId }),
      [GATEWAY_REQUEST_ID_HEADER]: requestId,
    };
  }

  /** The headers of one partner's user, as of the last {@link refresh}. */
  of(partner: Partner, user: number): Record<string, string> {
    const headers = this.headers.get(partner.name)?.[user % this.users];
    if (!headers) throw new Error(`no headers issued for partner ${partner.name}`);
    return headers;
  }
}
