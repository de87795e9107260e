import { normaliseIdentifier, normaliseName, normalisePlate, type PropertyKind } from '../kit/index.ts';
import { type DescribedFields, describe } from './description.ts';

/** Column values of property_item, by column name. */
export type Columns = Record<string, unknown>;

const COLUMN_OF_FIELD: Record<string, string> = {
  vin: 'vin',
  plate: 'plate',
  registrationCountry: 'registration_country',
  make: 'make',
  model: 'model',
  colour: 'colour',
  year: 'year',
  documentNumber: 'document_number',
  issuingCountry: 'issuing_country',
  documentType: 'document_type',
  serialNumber: 'serial_number',
  calibre: 'calibre',
  title: 'title',
  artist: 'artist',
  period: 'period',
};

/** The columns each kind's own fields fill; the table's checks keep the other kinds' columns null. */
const KIND_COLUMNS: Record<PropertyKind, readonly string[]> = {
  VEHICLE: ['vin', 'plate', 'registration_country', 'make', 'model', 'colour', 'year'],
  TRAVEL_DOCUMENT: ['document_number', 'issuing_country', 'document_type'],
  FIREARM: ['serial_number', 'make', 'model', 'calibre'],
  ARTWORK: ['title', 'artist', 'period'],
};

/** The columns of the fields given (validated input); omitted and null fields are left out. */
export function columnsOfFields(fields: Record<string, unknown>): Columns {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([field, value]) => [COLUMN_OF_FIELD[field]!, value]),
  );
}

/**
 * Every kind-specific column of a row, from the kind's columns, with what the read side derives from
 * them as the seed does: the normalised lookup keys and the folded description searched by text.
 */
export function kindRowColumns(kind: PropertyKind, columns: Columns): Columns {
  const own = Object.fromEntries(KIND_COLUMNS[kind].map((column) => [column, columns[column] ?? null]));
  const normalised = (column: string, normalise: (value: string) => string) =>
    typeof own[column] === 'string' ? normalise(own[column]) : null;
  return {
    ...own,
    vin_norm: normalised('vin', normaliseIdentifier),
    plate_norm: normalised('plate', normalisePlate),
    document_norm: normalised('document_number', normaliseIdentifier),
    serial_norm: normalised('serial_number', normaliseIdentifier),
    search_text: normaliseName(describe({ kind, ...own } as DescribedFields)),
  };
}
