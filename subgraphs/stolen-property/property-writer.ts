import type { Caller } from '../../lib/authz/principal.ts';
import { badUserInput, conflict } from '../../lib/errors/index.ts';
import {
  amendmentChange,
  grantRelease,
  assertJurisdictionGranted,
  lockOwnedRecord,
  newRecordOwnership,
  type PropertyKind,
  type Queryable,
  type RecordChange,
  releaseColumns,
  type RequestAudit,
  type WriteOutcome,
  type WrittenRecord,
} from '../kit/index.ts';
import { type Columns, columnsOfFields, kindRowColumns } from './property-columns.ts';
import { type Amendment, KIND_INPUTS, type ReportInput } from './property-inputs.ts';
import { cachedLookupKeys, CACHED, COLUMNS, type LookupKeyColumns } from './property-repository.ts';
import type { PropertyRow, StoredPropertyRow } from './property-row.ts';

const LABEL = 'property item';

/** Where a new item's id comes from: its kind's letter and a sequence above the seeded range. */
const NEW_ID: Record<PropertyKind, { letter: string; sequence: string }> = {
  VEHICLE: { letter: 'V', sequence: 'property_vehicle_number' },
  TRAVEL_DOCUMENT: { letter: 'D', sequence: 'property_document_number' },
  FIREARM: { letter: 'F', sequence: 'property_firearm_number' },
  ARTWORK: { letter: 'A', sequence: 'property_artwork_number' },
};

/** The unique lookup keys: a second report of the same vehicle or document would make lookups ambiguous. */
const UNIQUE_KEYS: Record<string, { field: string; what: string; columns: readonly string[] }> = {
  property_item_vin: { field: 'vehicle.vin', what: 'A vehicle with this VIN', columns: ['vin_norm'] },
  property_item_document: {
    field: 'travelDocument.documentNumber',
    what: 'A travel document with this number and issuing country',
    columns: ['document_norm', 'issuing_country'],
  },
};

/**
 * Every SQL statement that changes stolen property, inside the transaction of one write and on behalf
 * of one caller: only the owning agency changes an item, at the version it last read.
 */
export class PropertyWriter {
  constructor(
    private readonly tx: Queryable,
    private readonly caller: Caller,
    private readonly audit: Pick<RequestAudit, 'discloseBy'>,
  ) {}

  async report(input: ReportInput): Promise<WriteOutcome<PropertyRow>> {
    const ownership = newRecordOwnership(this.caller, input.jurisdiction, input.releasability);
    const fields = input[KIND_INPUTS[input.kind]]!;
    const columns: Columns = { ...kindRowColumns(input.kind, columnsOfFields(fields)), ...ownership };
    const names = Object.keys(columns);
    const { letter, sequence } = NEW_ID[input.kind];
    const [row] = await this.unique(columns, () =>
      this.tx.query<PropertyRow>(
        `insert into property_item (id, kind, status, reported_at, ${names.join(', ')})
         values ($1::text || lpad(nextval($2::regclass)::text, 9, '0'), $3, 'STOLEN', now(), ${names.map((_, i) => `$${i + 4}`).join(', ')})
         returning ${COLUMNS}`,
        [letter, sequence, input.kind, ...Object.values(columns)],
      ),
    );
    return this.outcome(row!, 'CREATED', [columns], { kind: input.kind });
  }

  /** Changes the given fields of the item's kind, its jurisdiction or its release decision. */
  async amend(id: string, expectedVersion: number, input: Amendment): Promise<WriteOutcome<PropertyRow>> {
    const current = await this.lock(id, expectedVersion);
    if (input.jurisdiction) assertJurisdictionGranted(this.caller, input.jurisdiction);
    // The input was checked against the kind the id's letter names, which the table ties to the kind.
    const amended = input[KIND_INPUTS[current.kind]];
    const set: Columns = {
      ...(amended ? kindRowColumns(current.kind, { ...current, ...columnsOfFields(amended) }) : {}),
      ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
      ...(input.releasability ? releaseColumns(input.releasability) : {}),
    };
    const names = Object.keys(set);
    const [row] = await this.unique({ ...current, ...set }, () =>
      this.tx.query<PropertyRow>(
        `update property_item set ${names.map((name, i) => `${name} = $${i + 2}`).join(', ')}, version = version + 1, updated_at = now()
         where id = $1 returning ${COLUMNS}`,
        [id, ...Object.values(set)],
      ),
    );
    const fields = givenFields(input);
    const outcome = this.outcome(row!, amendmentChange(fields), [current, { ...current, ...set }], { version: row!.version, fields });
    outcome.records[0]!.ownershipChanged = Boolean(input.jurisdiction || input.releasability);
    return outcome;
  }

  /** Closes a STOLEN item as RECOVERED on `recoveredOn`, with an optional note. */
  async recover(id: string, expectedVersion: number, recoveredOn: string, note: string | null): Promise<WriteOutcome<PropertyRow>> {
    const current = await this.lock(id, expectedVersion);
    if (current.status !== 'STOLEN') {
      throw conflict(`${LABEL} ${id} is ${current.status}; only a STOLEN item can be marked RECOVERED`, {
        currentVersion: current.version,
        currentStatus: current.status,
      });
    }
    // A day's grace: the report time is UTC, the recovery date is the reporting agency's local date.
    const reportedOn = new Date(new Date(current.reported_at).getTime() - 86_400_000).toISOString().slice(0, 10);
    if (recoveredOn < reportedOn)
      throw badUserInput(
        `recoveredOn must not be before the theft was reported (${new Date(current.reported_at).toISOString().slice(0, 10)})`,
        'recoveredOn',
      );
    const [row] = await this.tx.query<PropertyRow>(
      `update property_item set status = 'RECOVERED', recovered_on = $2, recovery_note = $3, version = version + 1, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [id, recoveredOn, note],
    );
    return this.outcome(row!, 'RECOVERED', [current], { version: row!.version, status: 'RECOVERED' });
  }

  /** Releases a REFERENCE_ONLY item in full to one agency for a while, after a confirmed hit; it ends by itself. */
  async grant(id: string, agency: string, seconds: number): Promise<WriteOutcome<PropertyRow>> {
    // With its lookup keys: the copies cached under them show the grant no more than the one under its id.
    const target = { table: 'property_item', idColumn: 'id', id, label: LABEL, columns: `${COLUMNS}, vin_norm, document_norm` };
    const row = await grantRelease<StoredPropertyRow>(this.tx, this.caller, target, agency, seconds);
    return this.outcome(row, 'RELEASE_CHANGED', [row], { version: row.version, grantedTo: agency, forSeconds: seconds });
  }

  private lock(id: string, expectedVersion: number): Promise<StoredPropertyRow> {
    return lockOwnedRecord<StoredPropertyRow>(this.tx, this.caller, {
      table: 'property_item',
      idColumn: 'id',
      id,
      label: LABEL,
      expectedVersion,
    });
  }

  /**
   * Turns a violated unique lookup key into a conflict naming the offending field. The conflict tells
   * the writer that the key is on record, even where the item holding it is hidden from them, so the
   * probe is a disclosure of that item in its owner's trail. A savepoint keeps the transaction usable
   * to find the holder; the conflict still rolls the write back whole.
   */
  private async unique<T>(row: Columns, statement: () => Promise<T>): Promise<T> {
    await this.tx.query('savepoint unique_lookup_key');
    try {
      const result = await statement();
      await this.tx.query('release savepoint unique_lookup_key');
      return result;
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      const key = code === '23505' && constraint ? UNIQUE_KEYS[constraint] : undefined;
      if (!key) throw error;
      await this.tx.query('rollback to savepoint unique_lookup_key');
      const [holder] = await this.tx.query<{ id: string; owning_agency: string }>(
        `select id, owning_agency from property_item where ${key.columns.map((column, i) => `${column} = $${i + 1}`).join(' and ')}`,
        key.columns.map((column) => row[column]),
      );
      if (holder) this.audit.discloseBy(holder.owning_agency, 'DUPLICATE_CHECK', [holder.id], { field: `input.${key.field}` });
      throw conflict(`${key.what} is already on record; amend that item rather than reporting it again`, { field: `input.${key.field}` });
    }
  }

  /**
   * The write's outcome: the item, whose id and every lookup key it is cached under (before and after
   * the write, so neither an old copy nor a cached "not found" for a new key survives) are invalidated.
   * Its record event is filtered on the item's kind.
   */
  private outcome(
    row: PropertyRow,
    change: RecordChange,
    versions: LookupKeyColumns[],
    detail: Record<string, unknown>,
  ): WriteOutcome<PropertyRow> {
    const keys = new Map<string, Set<string>>();
    for (const { entity, keys: of } of versions.flatMap(cachedLookupKeys)) keys.set(entity, new Set([...(keys.get(entity) ?? []), ...of]));
    const record: WrittenRecord = {
      entity: CACHED.byId,
      id: row.id,
      owner: row.owning_agency,
      change,
      jurisdiction: row.jurisdiction,
      category: row.kind,
      alsoInvalidate: [...keys].map(([entity, of]) => ({ entity, keys: [...of] })),
    };
    return { result: row, records: [record], detail: { recordId: row.id, ...detail } };
  }
}

/** The fields an amendment gives, nested ones as `vehicle.plate`: what the audit entry says changed. */
function givenFields(input: Amendment): string[] {
  const given = (fields: object) => Object.entries(fields).filter(([, value]) => value !== undefined && value !== null);
  return given(input)
    .flatMap(([name, value]) =>
      name === 'jurisdiction' || name === 'releasability' ? [name] : given(value as object).map(([field]) => `${name}.${field}`),
    )
    .sort();
}
