import { describe, expect, it } from 'vitest';
import { permitsRelayed } from './relayed-operations.ts';

const OWNERSHIP = `query LinkedOwnership($r: [_Any!]!) { _entities(representations: $r) {
  ... on WantedPerson { id owningAgency jurisdiction releasability { mode jurisdictions agencies } } } }`;

describe('permitsRelayed', () => {
  it('permits the notification and the ownership read-back the kit sends', () => {
    expect(
      permitsRelayed('refreshLinkSnapshots', 'mutation R($e: String!, $i: [ID!]!) { refreshLinkSnapshots(entity: $e, ids: $i) }'),
    ).toBe(true);
    expect(permitsRelayed('linkedOwnership', OWNERSHIP)).toBe(true);
  });

  it('permits neither for the other’s operation', () => {
    expect(permitsRelayed('linkedOwnership', 'mutation { refreshLinkSnapshots(entity: "WantedPerson", ids: []) }')).toBe(false);
    expect(permitsRelayed('refreshLinkSnapshots', OWNERSHIP)).toBe(false);
  });

  it.each([
    ['another root field beside it', 'mutation { refreshLinkSnapshots(entity: "A", ids: []) amendCase(caseNumber: "1") { version } }'],
    ['a second operation', 'mutation A { refreshLinkSnapshots(entity: "A", ids: []) } query B { cases { totalCount } }'],
    ['a query of the same name', '{ refreshLinkSnapshots }'],
    ['a directive', 'mutation { refreshLinkSnapshots(entity: "A", ids: []) @include(if: true) }'],
    ['no document at all', undefined],
    ['a document that does not parse', 'mutation {'],
  ])('refuses the notification with %s', (_, query) => {
    expect(permitsRelayed('refreshLinkSnapshots', query)).toBe(false);
  });

  it.each([
    ['a content field', '{ _entities(representations: []) { ... on WantedPerson { id familyName } } }'],
    ['an aliased content field', '{ _entities(representations: []) { ... on WantedPerson { id owningAgency: familyName } } }'],
    ['a fragment spread', '{ _entities(representations: []) { ...F } } fragment F on WantedPerson { id }'],
    ['an inherited property name', '{ _entities(representations: []) { ... on WantedPerson { constructor } } }'],
    [
      'a field under releasability it does not need',
      '{ _entities(representations: []) { ... on WantedPerson { releasability { mode secret } } } }',
    ],
    ['another root field', '{ wantedPerson(id: "W") { id } }'],
  ])('refuses the read-back with %s', (_, query) => {
    expect(permitsRelayed('linkedOwnership', query)).toBe(false);
  });
});
