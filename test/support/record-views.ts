import { expect } from 'vitest';
import type { GraphqlResponse } from './graphql-client.ts';
import { type RowViewer, seesAsReference } from './row-oracle.ts';
import type { TruthRow } from './seeded-truth.ts';

export type RecordKind = 'person' | 'property' | 'case';
export type Path = (string | number)[];

const REFERENCE = 'owningAgency jurisdiction releasability { mode } releasedInFull';

const KIND_FIELDS: Record<string, string> = {
  VEHICLE: '... on Vehicle { vin plate }',
  TRAVEL_DOCUMENT: '... on TravelDocument { documentNumber issuingCountry }',
  FIREARM: '... on Firearm { serialNumber }',
  ARTWORK: '',
};

/** What the matrix selects of an item: of its own kind only where the field's type is that kind (`vehicleByVin`). */
export const itemFields = (kind?: string) =>
  `id kind ${REFERENCE} status ${kind ? KIND_FIELDS[kind] : Object.values(KIND_FIELDS).join(' ')}`;

/**
 * What the matrix selects of each record it reaches: the reference, and content whose value the seed's
 * truth tells (or that is never null), so that a reference that leaks it shows, and so does a record
 * withheld from a viewer that may read it in full.
 */
export const RECORD_FIELDS: Record<RecordKind, string> = {
  person: `id ${REFERENCE} familyName noticeType status`,
  property: itemFields(),
  case: `caseNumber ${REFERENCE} title status`,
};

/** Each content field selected above, and the truth column that holds its value (null: never null, value unknown). */
const CONTENT: Record<string, Record<string, string | null>> = {
  person: { familyName: 'family_name', noticeType: 'notice_type', status: 'status' },
  VEHICLE: { status: null, vin: 'vin', plate: 'plate' },
  TRAVEL_DOCUMENT: { status: null, documentNumber: 'document_number', issuingCountry: 'issuing_country' },
  FIREARM: { status: null, serialNumber: 'serial_number' },
  ARTWORK: { status: null },
  case: { title: null, status: null },
};

/** A record a response must hold at `at`; `withheld`: the other content fields the path selects of it there. */
export interface Sighting {
  at: Path;
  kind: RecordKind;
  row: TruthRow;
  withheld?: string[];
}

/**
 * Each record sighted is what `viewer` must see of it: a reference (its key and reference fields, every
 * content field null) or the whole record; and the response's errors are exactly one NOT_RELEASED per
 * field withheld from a reference, worded the same for every field, and nothing else.
 */
export function expectRecordViews(response: GraphqlResponse, viewer: RowViewer, sightings: Sighting[], label: string): void {
  const refused: string[] = [];
  for (const { at, kind, row, withheld = [] } of sightings) {
    const reference = seesAsReference(viewer, row);
    const content = Object.entries(CONTENT[kind === 'property' ? row.kind : kind]!);
    const record = at.reduce<any>((value, key) => value?.[key], response.data);
    expect(record, `${label}: ${row.id} at ${at.join('.')}`).toMatchObject({
      [kind === 'case' ? 'caseNumber' : 'id']: row.id,
      ...(kind === 'property' ? { kind: row.kind } : {}),
      owningAgency: row.owning_agency,
      jurisdiction: row.jurisdiction,
      releasability: { mode: row.release_mode },
      releasedInFull: !reference,
      ...Object.fromEntries(content.map(([field, column]) => [field, reference ? null : column ? row[column] : expect.anything()])),
      ...(reference ? Object.fromEntries(withheld.map((field) => [field, null])) : {}),
    });
    if (reference) for (const field of [...content.map(([name]) => name), ...withheld]) refused.push([...at, field].join('.'));
  }
  const errors = response.errors ?? [];
  expect(errors.map((error) => `${error.path?.join('.')} ${error.extensions?.code}`).sort(), label).toEqual(
    refused.map((path) => `${path} NOT_RELEASED`).sort(),
  );
  expect(new Set(errors.map((error) => error.message)).size, `${label}: one wording`).toBeLessThanOrEqual(1);
}
