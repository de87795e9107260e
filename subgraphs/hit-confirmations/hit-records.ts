import { type OwnedKind, RECORD_LETTERS } from '../kit/index.ts';

/** A kind of record a hit can be on: owned by another subgraph, which says whether the caller sees it. */
export interface HitRecordKind extends OwnedKind {
  typename: 'WantedPerson' | 'PropertyItem';
  /** The SDL's HitRecordKind. */
  kind: 'WANTED_PERSON' | 'PROPERTY_ITEM';
  /** The owner's mutation that releases such a record in full to one agency for a while. */
  grantMutation: 'grantWantedPersonRelease' | 'grantPropertyItemRelease';
}

const PERSON: HitRecordKind = {
  subgraph: 'wanted-persons',
  typename: 'WantedPerson',
  label: 'wanted-person record',
  kind: 'WANTED_PERSON',
  grantMutation: 'grantWantedPersonRelease',
};
const ITEM: HitRecordKind = {
  subgraph: 'stolen-property',
  typename: 'PropertyItem',
  label: 'property item',
  kind: 'PROPERTY_ITEM',
  grantMutation: 'grantPropertyItemRelease',
};

/** The letters of the ids a hit can be on: a wanted person's, or a property item's of any kind. */
export const HIT_RECORD_LETTERS = `${RECORD_LETTERS.wantedPerson}${RECORD_LETTERS.propertyItem}`;

/** The kind of the record an id (already checked to be one of {@link HIT_RECORD_LETTERS}) names. */
export const hitRecordKindOf = (id: string): HitRecordKind => (RECORD_LETTERS.wantedPerson.includes(id[0]!) ? PERSON : ITEM);

/** The kind of a stored request's record, by its entity type. */
export const hitRecordKindOfType = (typename: HitRecordKind['typename']): HitRecordKind => (typename === 'WantedPerson' ? PERSON : ITEM);
