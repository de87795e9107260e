import type { Caller } from '../../../lib/authz/principal.ts';
import type { RequestMetadata } from '../../../lib/observability/request-metadata.ts';
import type { Counted } from '../rows/counted.ts';
import { REFERENCE_ONLY } from '../rows/row-scope.ts';
import { canonicalJson } from '../write/canonical-json.ts';
import type { AuditDraft } from './audit-entry.ts';

/** The action of a DISCLOSURE entry naming records the partner received as references only. */
export const REFERENCE_ACTION = 'REFERENCE';

/**
 * What one request disclosed and on whose behalf. Resolvers of audited types report each record they
 * serve; at the end of the request its disclosures become one draft per owning agency's chain, and one
 * more with action REFERENCE per chain whose REFERENCE_ONLY records reached a partner as references,
 * so that every such disclosure can be found (and its owner told) without reading the records again.
 */
export class RequestAudit {
  private readonly disclosed = new Map<string, Set<string>>();
  private readonly references = new Map<string, Set<string>>();
  /** Per chain, the disclosed records whose owner is to be told of their disclosure to this partner. */
  private readonly notified = new Map<string, Set<string>>();
  /** Disclosures that say how, beside the plain ones: counts too large to list, duplicate checks. */
  private readonly notes: { owner: string; action: string; ids: string[]; detail: string }[] = [];

  constructor(
    readonly caller: Caller,
    readonly request: RequestMetadata,
  ) {}

  /**
   * A record of `owner`'s, by id, released as `mode` (when known), reached the response; `notify` when
   * its owner marked it notifyOwnerOnHit. An owner reading its own record is no hit.
   */
  disclose(owner: string, id: string, mode?: string, notify = false): void {
    addTo(this.asReference(owner, mode) ? this.references : this.disclosed, owner, id);
    if (notify && owner !== this.caller.principal?.agency) addTo(this.notified, owner, id);
  }

  /** Whether a record of `owner`'s released as `mode` reaches this partner as a reference only (RowScope.referenceOnly). */
  private asReference(owner: string, mode: string | undefined): boolean {
    return mode === REFERENCE_ONLY && owner !== this.caller.principal?.agency;
  }

  /**
   * A total reached the response: the records it counted are disclosed to their owners, one by one when
   * few enough to list, otherwise as a COUNT entry per owner naming the connection and the number.
   */
  count(counted: Counted, of: string): void {
    for (const { owner, count, ids, referenceOnly, referenceIds, notifyIds } of counted.owners) {
      if (ids)
        for (const id of ids) this.disclose(owner, id, referenceIds?.includes(id) ? REFERENCE_ONLY : undefined, notifyIds?.includes(id));
      else {
        const references = referenceOnly > 0 && this.asReference(owner, REFERENCE_ONLY) ? { referenceOnly } : {};
        this.notes.push({ owner, action: 'COUNT', ids: [], detail: canonicalJson({ of, count, ...references }) });
      }
    }
  }

  /** Records of `owner`'s were disclosed by `action` rather than served, e.g. a write's duplicate check. */
  discloseBy(owner: string, action: string, ids: string[], detail: Record<string, unknown>): void {
    this.notes.push({ owner, action, ids, detail: canonicalJson(detail) });
  }

  /**
   * One DISCLOSURE draft per owning agency whose records were served, naming the ones to notify its
   * owner of; one per chain of references, which are hits whatever the flag; and one per note.
   */
  disclosureDrafts(): AuditDraft[] {
    return [
      ...[...this.disclosed].map(([chain, ids]) => this.withNotify(this.draft(chain, 'DISCLOSURE', [...ids], null, null))),
      ...[...this.references].map(([chain, ids]) => this.draft(chain, 'DISCLOSURE', [...ids], REFERENCE_ACTION, null)),
      ...this.notes.map((note) => this.draft(note.owner, 'DISCLOSURE', note.ids, note.action, note.detail)),
    ];
  }

  /** The draft, with the ids among its records that were disclosed as ones to notify their owner of, if any. */
  private withNotify(draft: AuditDraft): AuditDraft {
    const notified = this.notified.get(draft.chain);
    const notifyIds = notified ? draft.recordIds.filter((id) => notified.has(id)) : [];
    return notifyIds.length > 0 ? { ...draft, notifyIds } : draft;
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

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}
