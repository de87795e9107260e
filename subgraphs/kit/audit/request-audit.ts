import type { Caller } from '../../../lib/authz/principal.ts';
import type { RequestMetadata } from '../../../lib/observability/request-metadata.ts';
import type { AuditDraft } from './audit-entry.ts';

/**
 * What one request disclosed and on whose behalf. Resolvers of audited types report each record they
 * serve; at the end of the request its disclosures become one draft per owning agency's chain.
 */
export class RequestAudit {
  private readonly disclosed = new Map<string, Set<string>>();

  constructor(
    readonly caller: Caller,
    readonly request: RequestMetadata,
  ) {}

  /** A record of `owner`'s, by id, reached the response. */
  disclose(owner: string, id: string): void {
    let ids = this.disclosed.get(owner);
    if (!ids) this.disclosed.set(owner, (ids = new Set()));
    ids.add(id);
  }

  /** One DISCLOSURE draft per owning agency whose records were served. */
  disclosureDrafts(): AuditDraft[] {
    return [...this.disclosed].map(([chain, ids]) => this.draft(chain, 'DISCLOSURE', [...ids], null, null));
  }

  /** A draft about `recordIds` of `chain`'s, by this request's partner. */
  draft(chain: string, kind: AuditDraft['kind'], recordIds: string[], action: string | null, detail: string | null): AuditDraft {
    const { principal, purpose } = this.caller;
    return {
      chain,
      kind,
      requestId: this.request.requestId,
      partnerRequestId: this.request.partnerRequestId,
      partnerSubject: principal?.subject ?? 'anonymous',
      partnerAgency: principal?.agency ?? null,
      purposeCode: purpose?.code ?? null,
      purposeReference: purpose?.reference ?? null,
      operationName: this.request.operationName,
      operationHash: this.request.operationHash,
      action,
      detail,
      recordIds: [...recordIds].sort(),
    };
  }
}
