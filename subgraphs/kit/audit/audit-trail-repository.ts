import type { Caller } from '../../../lib/authz/principal.ts';
import type { Queryable } from '../db/db.ts';
import { uncounted } from '../rows/counted.ts';
import { type Connection, type Page, toConnection } from '../rows/pagination.ts';
import { AUDIT_ENTRY_COLUMNS, type AuditEntry } from './audit-entry.ts';

/** Auditor's filters, already validated; all optional and combined with AND. */
export interface AuditTrailFilter {
  recordId?: string | undefined;
  partnerSubject?: string | undefined;
  partnerAgency?: string | undefined;
  purpose?: string | undefined;
  kind?: string | undefined;
  /** A mutation's name, or REFERENCE, COUNT, DUPLICATE_CHECK. */
  action?: string | undefined;
  /** ISO 8601 timestamps: entries at or after `from` and before `to`. */
  from?: string | undefined;
  to?: string | undefined;
}

/**
 * Reads the audit trail for an auditor: built for one caller, every statement is confined to the
 * chain of the caller's own agency (the entries about its records), newest first.
 */
export class AuditTrailRepository {
  private readonly chain: string | null;

  constructor(
    private readonly db: Queryable,
    caller: Caller,
  ) {
    this.chain = caller.principal?.agency ?? null;
  }

  async list(filter: AuditTrailFilter, page: Page): Promise<Connection<AuditEntry>> {
    if (this.chain === null)
      return toConnection<AuditEntry>(
        [],
        page,
        (entry) => entry.seq,
        async () => uncounted(0),
      );
    const params: unknown[] = [this.chain];
    const where = ['chain = $1'];
    const add = (condition: (slot: string) => string, value: unknown) => where.push(condition(`$${params.push(value)}`));
    if (filter.recordId) add((slot) => `record_ids @> array[${slot}::text]`, filter.recordId);
    if (filter.partnerSubject) add((slot) => `partner_subject = ${slot}`, filter.partnerSubject);
    if (filter.partnerAgency) add((slot) => `partner_agency = ${slot}`, filter.partnerAgency);
    if (filter.purpose) add((slot) => `purpose_code = ${slot}`, filter.purpose);
    if (filter.kind) add((slot) => `kind = ${slot}`, filter.kind);
    if (filter.action) add((slot) => `action = ${slot}`, filter.action);
    if (filter.from) add((slot) => `occurred_at >= ${slot}::timestamptz`, filter.from);
    if (filter.to) add((slot) => `occurred_at < ${slot}::timestamptz`, filter.to);
    const condition = where.join(' and ');
    const keyset = page.after === null ? '' : ` and seq < $${params.length + 1}::bigint`;
    const rows = await this.db.query<AuditEntry>(
      `select ${AUDIT_ENTRY_COLUMNS} from audit_entry where ${condition}${keyset} order by audit_entry.seq desc limit ${page.limit + 1}`,
      page.after === null ? params : [...params, page.after],
    );
    return toConnection(
      rows,
      page,
      (entry) => entry.seq,
      async () => {
        const [count] = await this.db.query<{ n: number }>(`select count(*)::int as n from audit_entry where ${condition}`, params);
        return uncounted(count?.n ?? 0);
      },
    );
  }
}
