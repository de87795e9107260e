import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../../lib/authz/scopes.ts';
import { RequestAudit } from './request-audit.ts';
import { trackDisclosures } from './track-disclosures.ts';

const ROWS = [
  { id: 'W1', owning_agency: 'FRPN00001', release_mode: 'ALL_GRANTED', notify_owner_on_hit: true },
  { id: 'W2', owning_agency: 'FRPN00001', release_mode: 'ALL_GRANTED', notify_owner_on_hit: false },
];

/** The drafts of one request by a partner of `agency` listing both rows. */
async function draftsOf(agency: string) {
  const schema = buildSchema('type Query { people: [Person!]! } type Person { id: ID! }');
  trackDisclosures(schema, { Person: (row: { id: string }) => row.id }, (context) => (context as { audit: RequestAudit }).audit);
  const caller: Caller = {
    principal: { subject: 'disclosure-test', agency, scopes: new Set(ALL_SCOPES), jurisdictions: ['FR'] },
    purpose: null,
  };
  const audit = new RequestAudit(caller, { requestId: null, partnerRequestId: null, operationName: null, operationHash: null });
  const result = await graphql({ schema, source: '{ people { id } }', rootValue: { people: ROWS }, contextValue: { audit } });
  expect(result.errors).toBeUndefined();
  return audit.disclosureDrafts().map(({ chain, recordIds, notifyIds }) => ({ chain, recordIds, notifyIds }));
}

describe('disclosures of rows marked notify_owner_on_hit', () => {
  it("name the marked rows another agency's partner was served", async () => {
    expect(await draftsOf('ESPN00001')).toEqual([{ chain: 'FRPN00001', recordIds: ['W1', 'W2'], notifyIds: ['W1'] }]);
  });

  it('name none when the owner reads its own rows', async () => {
    expect(await draftsOf('FRPN00001')).toEqual([{ chain: 'FRPN00001', recordIds: ['W1', 'W2'], notifyIds: undefined }]);
  });
});
