import type { Caller } from '../../lib/authz/principal.ts';
import { conflict, notFound } from '../../lib/errors/index.ts';
import {
  amendmentChange,
  assertJurisdictionGranted,
  lockOwnedRecord,
  newRecordOwnership,
  type Queryable,
  type RecordChange,
  releaseColumns,
  RowScope,
  type WriteOutcome,
} from '../kit/index.ts';
import type { CaseAmendment, OpenCaseInput } from './case-inputs.ts';
import { CASE_COLUMNS, type CaseRow } from './case-repository.ts';
import type { LinkedKind } from './linked-kinds.ts';
import type { OwnershipSnapshot } from '../kit/index.ts';
import type { CaseStatus } from './seed-text.ts';
import { mayMove } from './status-moves.ts';

const LABEL = 'case';
/** A link's snapshot as stored: unknown (all null) until its owner has told. */
type StoredSnapshot = Omit<OwnershipSnapshot, 'owning_agency'> & { owning_agency: string | null };
const SNAPSHOT = 'owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies';

/**
 * Every SQL statement that changes cases, their history and their links, inside the transaction of
 * one write and on behalf of one caller: only the lead (owning) agency changes a case, at the version
 * it last read, and every change bumps that version.
 */
export class CaseWriter {
  constructor(
    private readonly tx: Queryable,
    private readonly caller: Caller,
  ) {}

  async open(input: OpenCaseInput): Promise<WriteOutcome<CaseRow>> {
    const ownership = newRecordOwnership(this.caller, input.jurisdiction, input.releasability);
    const [row] = await this.tx.query<CaseRow>(
      `insert into case_record as c (case_number, title, status, lead_agency, owning_agency, jurisdiction, release_mode, release_jurisdictions,
         release_agencies, notify_owner_on_hit, source_system, opened_at, updated_at)
       values ('C' || lpad(nextval('case_number_seq')::text, 9, '0'), $1, 'OPEN', $2, $2, $3, $4, $5, $6, $7, $8, now(), now())
       returning ${CASE_COLUMNS}`,
      [
        input.title,
        ownership.owning_agency,
        ownership.jurisdiction,
        ownership.release_mode,
        ownership.release_jurisdictions,
        ownership.release_agencies,
        ownership.notify_owner_on_hit,
        ownership.source_system,
      ],
    );
    await this.recordStatus(row!.case_number, 'OPEN', input.reason ?? null);
    return this.outcome(row!, 'CREATED', { version: 1, status: 'OPEN', fields: Object.keys(input).sort() });
  }

  async changeStatus(caseNumber: string, expectedVersion: number, status: CaseStatus, reason: string): Promise<WriteOutcome<CaseRow>> {
    const current = await this.lock(caseNumber, expectedVersion);
    if (!mayMove(current.status, status)) {
      throw conflict(`${LABEL} ${caseNumber} is ${current.status} and cannot move to ${status}; see CaseStatus for the allowed moves`, {
        currentVersion: current.version,
        currentStatus: current.status,
      });
    }
    await this.recordStatus(caseNumber, status, reason);
    const row = await this.bump(caseNumber, 'status = $2', [status]);
    return this.outcome(row, 'STATUS_CHANGED', { version: row.version, status, from: current.status });
  }

  async amend(caseNumber: string, expectedVersion: number, input: CaseAmendment): Promise<WriteOutcome<CaseRow>> {
    await this.lock(caseNumber, expectedVersion);
    if (input.jurisdiction) assertJurisdictionGranted(this.caller, input.jurisdiction);
    const release = input.releasability ? releaseColumns(input.releasability) : null;
    const row = await this.bump(
      caseNumber,
      `title = coalesce($2, title), jurisdiction = coalesce($3, jurisdiction), release_mode = coalesce($4, release_mode),
       release_jurisdictions = coalesce($5, release_jurisdictions), release_agencies = coalesce($6, release_agencies),
       notify_owner_on_hit = coalesce($7, notify_owner_on_hit)`,
      [
        input.title ?? null,
        input.jurisdiction ?? null,
        release?.release_mode ?? null,
        release?.release_jurisdictions ?? null,
        release?.release_agencies ?? null,
        release?.notify_owner_on_hit ?? null,
      ],
    );
    const fields = Object.keys(input)
      .filter((key) => input[key as keyof CaseAmendment] != null)
      .sort();
    return this.outcome(row, amendmentChange(fields), { version: row.version, fields });
  }

  /** Links a record its owner just showed the caller, keeping the owner's `snapshot` of its ownership. */
  async link(
    kind: LinkedKind,
    caseNumber: string,
    expectedVersion: number,
    id: string,
    snapshot: OwnershipSnapshot,
  ): Promise<WriteOutcome<CaseRow>> {
    const current = await this.lock(caseNumber, expectedVersion);
    const inserted = await this.tx.query(
      `insert into ${kind.table} (case_number, ${kind.column}, linked_at, ${SNAPSHOT}) values ($1, $2, now(), $3, $4, $5, $6, $7)
       on conflict do nothing returning 1`,
      [
        caseNumber,
        id,
        snapshot.owning_agency,
        snapshot.jurisdiction,
        snapshot.release_mode,
        snapshot.release_jurisdictions,
        snapshot.release_agencies,
      ],
    );
    if (inserted.length === 0) {
      throw conflict(`${id} is already among the ${kind.role} of ${LABEL} ${caseNumber}`, { currentVersion: current.version });
    }
    const row = await this.bump(caseNumber);
    // A case's subjects and property are part of what it says: a link change amends it.
    return this.outcome(row, 'AMENDED', { version: row.version, linked: id });
  }

  /** Unlinks a record; one whose snapshot hides it from the caller is as absent as one never linked. */
  async unlink(kind: LinkedKind, caseNumber: string, expectedVersion: number, id: string): Promise<WriteOutcome<CaseRow>> {
    await this.lock(caseNumber, expectedVersion);
    const [link] = await this.tx.query<StoredSnapshot>(
      `delete from ${kind.table} where case_number = $1 and ${kind.column} = $2 returning ${SNAPSHOT}`,
      [caseNumber, id],
    );
    // An unknown snapshot (null owner) hides the link from everyone; throwing rolls the delete back.
    if (!link || link.owning_agency === null || !RowScope.for(this.caller).admits({ ...link, owning_agency: link.owning_agency })) {
      throw notFound(`No ${kind.label} ${id} among the ${kind.role} of ${LABEL} ${caseNumber}`);
    }
    const row = await this.bump(caseNumber);
    return this.outcome(row, 'AMENDED', { version: row.version, unlinked: id });
  }

  private lock(caseNumber: string, expectedVersion: number): Promise<CaseRow> {
    return lockOwnedRecord<CaseRow>(this.tx, this.caller, {
      table: 'case_record',
      idColumn: 'case_number',
      id: caseNumber,
      label: LABEL,
      expectedVersion,
    });
  }

  /** Appends to the case's history; the case row is locked (or new), so the next seq is the case's own. */
  private async recordStatus(caseNumber: string, status: CaseStatus, reason: string | null): Promise<void> {
    await this.tx.query(
      `insert into case_status_change (case_number, seq, status, changed_at, changed_by, reason)
       select $1, coalesce(max(seq), 0) + 1, $2, now(), $3, $4 from case_status_change where case_number = $1`,
      [caseNumber, status, this.caller.principal!.agency, reason],
    );
  }

  /** Applies `changes` (parameters from $2) and bumps the version; `updated_at` matches the history row's `changed_at`. */
  private async bump(caseNumber: string, changes?: string, values: unknown[] = []): Promise<CaseRow> {
    const [row] = await this.tx.query<CaseRow>(
      `update case_record c set ${changes ? `${changes}, ` : ''}version = version + 1, updated_at = now() where case_number = $1 returning ${CASE_COLUMNS}`,
      [caseNumber, ...values],
    );
    return row!;
  }

  /** The write's outcome; its record event is filtered on the case's status after the write. */
  private outcome(row: CaseRow, change: RecordChange, detail: Record<string, unknown>): WriteOutcome<CaseRow> {
    return {
      result: row,
      records: [
        { entity: 'Case', id: row.case_number, owner: row.owning_agency, change, jurisdiction: row.jurisdiction, category: row.status },
      ],
      detail: { recordId: row.case_number, ...detail },
    };
  }
}
