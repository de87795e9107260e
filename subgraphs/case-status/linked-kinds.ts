import type { OwnedKind } from '../kit/index.ts';

/**
 * A kind of record a case links to: owned by another subgraph, and kept in a link table with a
 * snapshot of its ownership (migration 002). Every value is a constant, never client input.
 */
export interface LinkedKind extends OwnedKind {
  table: 'case_subject' | 'case_property';
  /** The link table's column of linked record ids. */
  column: 'person_id' | 'property_id';
  typename: 'WantedPerson' | 'PropertyItem';
  /** What the linked records are to a case, in messages. */
  role: string;
}

export const SUBJECT: LinkedKind = {
  table: 'case_subject',
  column: 'person_id',
  subgraph: 'wanted-persons',
  typename: 'WantedPerson',
  label: 'wanted-person record',
  role: 'subjects',
};
export const PROPERTY: LinkedKind = {
  table: 'case_property',
  column: 'property_id',
  subgraph: 'stolen-property',
  typename: 'PropertyItem',
  label: 'property item',
  role: 'related property',
};

/** The kind of the records an owner names in `refreshLinkSnapshots`: its entity, or a concrete property type. */
export const KIND_OF_ENTITY = {
  WantedPerson: SUBJECT,
  PropertyItem: PROPERTY,
  Vehicle: PROPERTY,
  TravelDocument: PROPERTY,
  Firearm: PROPERTY,
  Artwork: PROPERTY,
} as const satisfies Record<string, LinkedKind>;
