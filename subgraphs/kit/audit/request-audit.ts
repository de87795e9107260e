import type { Caller } from '../../../lib/authz/principal.ts';
import type { RequestMetadata } from '../../../lib/observability/request-metadata.ts';
import type { Counted } from '../rows/counted.ts';
import { canonicalJson } from '../write/canonical-json.ts';
import type { AuditDraft } from './audit-entry.ts';

/**
 * What one request disclosed and on whose behalf. Resolvers of audited types report each record they
 * serve; at the end of the request its disclosures become one draft per owning agency's chain.
 */
export class RequestAudit {
  private readonly disclosed = new Map<string, Set<string>>();
  /** Disclosures that say how, beside the plain ones: counts too large to list, duplicate checks. */
  private readonly notes: { owner: string; action: string; ids: string[]; detail: string }[] = [];

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

  /**
   * A total reached the response: the records it counted are disclosed to their owners, one by one when
   * few enough to list, otherwise as a COUNT entry per owner naming the connection and the number.
   */
  count(counted: Counted, of: string): void {
    for (const { owner, count, ids } of counted.owners) {
      if (ids) for (const id of ids) this.disclose(owner, id);
      else this.notes.push({ owner, action: 'COUNT', ids: [], detail: canonicalJson({ of, count }) });
    }
  }

  /** Records of `owner`'s were disclosed by `action` rather than served, e.g. a write's duplicate check. */
  discloseBy(owner: string, action: string, ids: string[], detail: Record<string, unknown>): void {
    this.notes.push({ owner, action, ids, detail: canonicalJson(detail) });
  }

  /** One DISCLOSURE draft per owning agency whose records were served, and one per note. */
  disclosureDrafts(): AuditDraft[] {
    return [
      ...[...this.disclosed].map(([chain, ids]) => this.draft(chain, 'DISCLOSURE', [...ids], null, null)),
      ...this.notes.map((note) => this.draft(note.owner, 'DISCLOSURE', note.ids, note.action, note.detail)),
    ];
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
