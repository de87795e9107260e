import type { PropertyKind, RecordRow } from '../kit/index.ts';

/** Columns every property_item row has, whatever its kind. */
interface PropertyBase extends RecordRow {
  id: string;
  kind: PropertyKind;
  status: 'STOLEN' | 'RECOVERED';
  /** A Date from both drivers (timestamptz). */
  reported_at: Date;
  /** Bumped by every write: optimistic versioning. */
  version: number;
  /** 'YYYY-MM-DD' once RECOVERED by a write; seeded recoveries have none. */
  recovered_on: string | null;
  recovery_note: string | null;
}

/** A stolen vehicle; the table's checks guarantee these columns are set when kind is VEHICLE. */
export interface VehicleRow extends PropertyBase {
  kind: 'VEHICLE';
  vin: string;
  plate: string;
  registration_country: string;
  make: string;
  model: string;
  colour: string;
  year: number | null;
}

/** A stolen or lost passport, identity card, residence permit or visa. */
export interface TravelDocumentRow extends PropertyBase {
  kind: 'TRAVEL_DOCUMENT';
  document_number: string;
  issuing_country: string;
  document_type: 'PASSPORT' | 'IDENTITY_CARD' | 'RESIDENCE_PERMIT' | 'VISA';
}

export interface FirearmRow extends PropertyBase {
  kind: 'FIREARM';
  serial_number: string;
  make: string;
  model: string;
  calibre: string;
}

export interface ArtworkRow extends PropertyBase {
  kind: 'ARTWORK';
  title: string;
  artist: string;
  period: string;
}

/** A property_item row as the repository returns it, narrowed by `kind`. */
export type PropertyRow = VehicleRow | TravelDocumentRow | FirearmRow | ArtworkRow;

/** A row with its stored lookup keys, as a write reads it before changing it. */
export type StoredPropertyRow = PropertyRow & {
  vin_norm: string | null;
  plate_norm: string | null;
  document_norm: string | null;
  serial_norm: string | null;
};

/** The GraphQL object type of each kind. */
export const TYPE_OF_KIND = {
  VEHICLE: 'Vehicle',
  TRAVEL_DOCUMENT: 'TravelDocument',
  FIREARM: 'Firearm',
  ARTWORK: 'Artwork',
} as const satisfies Record<PropertyKind, string>;
