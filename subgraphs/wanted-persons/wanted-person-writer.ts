import type { Caller } from '../../lib/authz/principal.ts';
import { conflict } from '../../lib/errors/index.ts';
import {
  grantRelease,
  amendmentChange,
  assertJurisdictionGranted,
  lockOwnedRecord,
  newRecordOwnership,
  normaliseName,
  type Queryable,
  type RecordChange,
  releaseColumns,
  type WriteOutcome,
} from '../kit/index.ts';
import type { NoticeAmendment, NoticeInput } from './wanted-person-inputs.ts';
import { COLUMNS, type WantedPersonRow } from './wanted-person-repository.ts';

const today = () => new Date().toISOString().slice(0, 10);
const LABEL = 'wanted-person record';

/**
 * Every SQL statement that changes wanted persons, inside the transaction of one write and on behalf
 * of one caller: only the owning agency changes a record, at the version it last read.
 */
export class WantedPersonWriter {
  constructor(
    private readonly tx: Queryable,
    private readonly caller: Caller,
  ) {}

  async issue(input: NoticeInput): Promise<WriteOutcome<WantedPersonRow>> {
    const ownership = newRecordOwnership(this.caller, input.jurisdiction, input.releasability);
    const [row] = await this.tx.query<WantedPersonRow>(
      `insert into wanted_person (id, family_name, given_names, aliases, date_of_birth, nationality, sex, distinguishing_marks, photo_ref,
         notice_type, warrant_court, warrant_issued_on, warrant_charges, caveats, status, owning_agency, jurisdiction, release_mode,
         release_jurisdictions, release_agencies, notify_owner_on_hit, source_system, last_verified_on, search_text)
       values ('W' || lpad(nextval('wanted_person_number')::text, 9, '0'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'ACTIVE',
         $14, $15, $16, $17, $18, $19, $20, $21, $22)
       returning ${COLUMNS}`,
      [
        input.familyName,
        input.givenNames,
        input.aliases ?? [],
        input.dateOfBirth ?? null,
        input.nationality ?? null,
        input.sex,
        input.distinguishingMarks ?? [],
        input.photoRef ?? null,
        input.noticeType,
        input.warrant?.issuingCourt ?? null,
        input.warrant?.issuedOn ?? null,
        input.warrant?.charges ?? [],
        [...new Set(input.caveats ?? [])],
        ownership.owning_agency,
        ownership.jurisdiction,
        ownership.release_mode,
        ownership.release_jurisdictions,
        ownership.release_agencies,
        ownership.notify_owner_on_hit,
        ownership.source_system,
        today(),
        searchTextOf(input.givenNames, input.familyName, input.aliases ?? []),
      ],
    );
    return this.outcome(row!, 'CREATED', { version: 1, fields: Object.keys(input).sort() });
  }

  async amend(id: string, expectedVersion: number, input: NoticeAmendment): Promise<WriteOutcome<WantedPersonRow>> {
    const current = await this.lock(id, expectedVersion);
    if (input.jurisdiction) assertJurisdictionGranted(this.caller, input.jurisdiction);
    const release = input.releasability ? releaseColumns(input.releasability) : null;
    const givenNames = input.givenNames ?? current.given_names;
    const familyName = input.familyName ?? current.family_name;
    const aliases = input.aliases ?? current.aliases;
    const [row] = await this.tx.query<WantedPersonRow>(
      `update wanted_person set family_name = $2, given_names = $3, aliases = $4, date_of_birth = coalesce($5, date_of_birth),
         nationality = coalesce($6, nationality), sex = coalesce($7, sex), distinguishing_marks = coalesce($8, distinguishing_marks),
         photo_ref = coalesce($9, photo_ref), notice_type = coalesce($10, notice_type),
         warrant_court = coalesce($11, warrant_court), warrant_issued_on = coalesce($12, warrant_issued_on), warrant_charges = coalesce($13, warrant_charges),
         caveats = coalesce($14, caveats), jurisdiction = coalesce($15, jurisdiction), release_mode = coalesce($16, release_mode),
         release_jurisdictions = coalesce($17, release_jurisdictions), release_agencies = coalesce($18, release_agencies),
         notify_owner_on_hit = coalesce($21, notify_owner_on_hit), search_text = $19, last_verified_on = $20, version = version + 1, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [
        id,
        familyName,
        givenNames,
        aliases,
        input.dateOfBirth ?? null,
        input.nationality ?? null,
        input.sex ?? null,
        input.distinguishingMarks ?? null,
        input.photoRef ?? null,
        input.noticeType ?? null,
        input.warrant?.issuingCourt ?? null,
        input.warrant?.issuedOn ?? null,
        input.warrant?.charges ?? null,
        input.caveats ? [...new Set(input.caveats)] : null,
        input.jurisdiction ?? null,
        release?.release_mode ?? null,
        release?.release_jurisdictions ?? null,
        release?.release_agencies ?? null,
        searchTextOf(givenNames, familyName, aliases),
        today(),
        release?.notify_owner_on_hit ?? null,
      ],
    );
    const fields = Object.keys(input)
      .filter((key) => input[key as keyof NoticeAmendment] != null)
      .sort();
    const outcome = this.outcome(row!, amendmentChange(fields), { version: row!.version, fields });
    outcome.records[0]!.ownershipChanged = Boolean(input.jurisdiction || input.releasability);
    return outcome;
  }

  /** Closes an ACTIVE notice as CANCELLED or LOCATED, keeping why or where in `status_note`. */
  async close(
    id: string,
    expectedVersion: number,
    status: 'CANCELLED' | 'LOCATED',
    note: string | null,
    locatedOn: string | null,
  ): Promise<WriteOutcome<WantedPersonRow>> {
    const current = await this.lock(id, expectedVersion);
    if (current.status !== 'ACTIVE') {
      throw conflict(`${LABEL} ${id} is ${current.status}; only an ACTIVE notice can be marked ${status}`, {
        currentVersion: current.version,
        currentStatus: current.status,
      });
    }
    const [row] = await this.tx.query<WantedPersonRow>(
      `update wanted_person set status = $2, status_note = $3, located_on = $4, version = version + 1, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [id, status, note, locatedOn],
    );
    // A located person's notice stands closed by a status move; a cancelled one is withdrawn.
    return this.outcome(row!, status === 'CANCELLED' ? 'CANCELLED' : 'STATUS_CHANGED', { version: row!.version, status });
  }

  /** Releases a REFERENCE_ONLY notice in full to one agency for a while, after a confirmed hit; it ends by itself. */
  async grant(id: string, agency: string, seconds: number): Promise<WriteOutcome<WantedPersonRow>> {
    const target = { table: 'wanted_person', idColumn: 'id', id, label: LABEL, columns: COLUMNS };
    const row = await grantRelease<WantedPersonRow>(this.tx, this.caller, target, agency, seconds);
    return this.outcome(row, 'RELEASE_CHANGED', { version: row.version, grantedTo: agency, forSeconds: seconds });
  }

  private lock(id: string, expectedVersion: number): Promise<WantedPersonRow> {
    return lockOwnedRecord<WantedPersonRow>(this.tx, this.caller, {
      table: 'wanted_person',
      idColumn: 'id',
      id,
      label: LABEL,
      expectedVersion,
    });
  }

  /** The write's outcome; its record event is filtered on the notice type. */
  private outcome(row: WantedPersonRow, change: RecordChange, detail: Record<string, unknown>): WriteOutcome<WantedPersonRow> {
    return {
      result: row,
      records: [
        { entity: 'WantedPerson', id: row.id, owner: row.owning_agency, change, jurisdiction: row.jurisdiction, category: row.notice_type },
      ],
      detail: { recordId: row.id, ...detail },
    };
  }
}

function searchTextOf(givenNames: string, familyName: string, aliases: readonly string[]): string {
  return normaliseName([givenNames, familyName, ...aliases].join(' '));
}
