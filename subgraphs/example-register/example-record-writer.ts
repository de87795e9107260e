import type { Caller } from '../../lib/authz/principal.ts';
import {
  amendmentChange,
  assertJurisdictionGranted,
  grantRelease,
  lockOwnedRecord,
  newRecordOwnership,
  type Queryable,
  type RecordChange,
  releaseColumns,
  type WriteOutcome,
} from '../kit/index.ts';
import type { Amendment, RegisterInput } from './example-record-inputs.ts';
import { CACHED_ENTITY, COLUMNS, type ExampleRecordRow, RECORD_LETTER } from './example-record-repository.ts';

/**
 * Every SQL statement that changes this subgraph's records, inside the transaction of one write and on behalf
 * of one caller: only the owning agency changes a record, at the version it last read.
 */
export class ExampleRecordWriter {
  constructor(
    private readonly tx: Queryable,
    private readonly caller: Caller,
  ) {}

  async register(input: RegisterInput): Promise<WriteOutcome<ExampleRecordRow>> {
    const ownership = newRecordOwnership(this.caller, input.jurisdiction, input.releasability);
    const [row] = await this.tx.query<ExampleRecordRow>(
      `insert into example_record (id, label, linked_person_id, owning_agency, jurisdiction, release_mode, release_jurisdictions,
         release_agencies, notify_owner_on_hit, source_system)
       values ($1::text || lpad(nextval('example_record_number')::text, 9, '0'), $2, $3, $4, $5, $6, $7, $8, $9, $10)
       returning ${COLUMNS}`,
      [
        RECORD_LETTER,
        input.label,
        input.linkedPersonId ?? null,
        ownership.owning_agency,
        ownership.jurisdiction,
        ownership.release_mode,
        ownership.release_jurisdictions,
        ownership.release_agencies,
        ownership.notify_owner_on_hit,
        ownership.source_system,
      ],
    );
    return outcome(row!, 'CREATED', {});
  }

  /** Changes the given fields, the jurisdiction or the release decision. */
  async amend(id: string, expectedVersion: number, input: Amendment): Promise<WriteOutcome<ExampleRecordRow>> {
    await lockOwnedRecord<ExampleRecordRow>(this.tx, this.caller, {
      table: 'example_record',
      idColumn: 'id',
      id,
      label: 'record',
      expectedVersion,
    });
    if (input.jurisdiction) assertJurisdictionGranted(this.caller, input.jurisdiction);
    const set: Record<string, unknown> = {
      ...(input.label ? { label: input.label } : {}),
      ...(input.linkedPersonId ? { linked_person_id: input.linkedPersonId } : {}),
      ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
      ...(input.releasability ? releaseColumns(input.releasability) : {}),
    };
    const names = Object.keys(set);
    const [row] = await this.tx.query<ExampleRecordRow>(
      `update example_record set ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [id, ...Object.values(set)],
    );
    const given = Object.keys(input).filter((key) => input[key as keyof Amendment] != null);
    const amended = outcome(row!, amendmentChange(given), { version: row!.version, fields: Object.keys(input).sort() });
    amended.records[0]!.ownershipChanged = Boolean(input.jurisdiction || input.releasability);
    return amended;
  }

  /** Releases a REFERENCE_ONLY record in full to one agency for a while, after a confirmed hit; it ends by itself. */
  async grant(id: string, agency: string, seconds: number): Promise<WriteOutcome<ExampleRecordRow>> {
    const target = { table: 'example_record', idColumn: 'id', id, label: 'record', columns: COLUMNS };
    const row = await grantRelease<ExampleRecordRow>(this.tx, this.caller, target, agency, seconds);
    return outcome(row, 'RELEASE_CHANGED', { version: row.version, grantedTo: agency, forSeconds: seconds });
  }
}

/**
 * The write's outcome: the record, audited in its owner's chain, published as a record event and dropped
 * from the cache after commit. Its events have no category: give yours the attribute subscribers filter
 * on (a type, a status), as the other subgraphs do.
 */
function outcome(row: ExampleRecordRow, change: RecordChange, detail: Record<string, unknown>): WriteOutcome<ExampleRecordRow> {
  return {
    result: row,
    records: [{ entity: CACHED_ENTITY, id: row.id, owner: row.owning_agency, change, jurisdiction: row.jurisdiction, category: null }],
    detail: { recordId: row.id, ...detail },
  };
}
