import type { ArtworkRow, FirearmRow, TravelDocumentRow, VehicleRow } from './property-row.ts';

const DOCUMENT_LABELS = {
  PASSPORT: 'Passport',
  IDENTITY_CARD: 'Identity card',
  RESIDENCE_PERMIT: 'Residence permit',
  VISA: 'Visa',
} as const;

/** The fields {@link describe} reads: a row without its ownership columns, as the seed builds it. */
export type DescribedFields =
  | Pick<VehicleRow, 'kind' | 'make' | 'model' | 'colour' | 'plate'>
  | Pick<TravelDocumentRow, 'kind' | 'document_type' | 'document_number' | 'issuing_country'>
  | Pick<FirearmRow, 'kind' | 'make' | 'model' | 'calibre' | 'serial_number'>
  | Pick<ArtworkRow, 'kind' | 'title' | 'artist' | 'period'>;

/**
 * The short human label of an item, e.g. "Peugeot 308, grey, AB-123-CD". The seed folds the same text
 * into search_text, so searchProperty matches exactly what clients read as the description.
 */
export function describe(item: DescribedFields): string {
  switch (item.kind) {
    case 'VEHICLE':
      return `${item.make} ${item.model}, ${item.colour}, ${item.plate}`;
    case 'TRAVEL_DOCUMENT':
      return `${DOCUMENT_LABELS[item.document_type]} ${item.document_number}, ${item.issuing_country}`;
    case 'FIREARM':
      return `${item.make} ${item.model}, ${item.calibre}, serial ${item.serial_number}`;
    case 'ARTWORK':
      return `${item.title}, ${item.artist}, ${item.period}`;
  }
}
