import { describe, expect, it } from 'vitest';
import { ALL_SCOPES } from '../../../lib/authz/scopes.ts';
import type { Caller } from '../../../lib/authz/principal.ts';
import { listedCount } from '../rows/counted.ts';
import { RequestAudit } from './request-audit.ts';

const META = { requestId: null, partnerRequestId: null, operationName: 'Probe', operationHash: null };
const auditFor = (agency: string) => {
  const caller: Caller = {
    principal: { subject: 'audit-test', agency, scopes: new Set(ALL_SCOPES), jurisdictions: ['FR'] },
    purpose: null,
  };
  return new RequestAudit(caller, META);
};
const summary = (audit: RequestAudit) =>
  audit.disclosureDrafts().map(({ chain, action, detail, recordIds }) => ({ chain, action, detail, recordIds }));

describe("a request's disclosures of references", () => {
  it('records references apart, with action REFERENCE, and the records served in full as plain disclosures', () => {
    const audit = auditFor('ESPN00001');
    audit.disclose('FRPN00001', 'W2', 'REFERENCE_ONLY');
    audit.disclose('FRPN00001', 'W1', 'ALL_GRANTED');
    audit.count(listedCount([{ owner: 'FRPN00001', id: 'W3', mode: 'REFERENCE_ONLY' }]), 'WantedPersonConnection');
    expect(summary(audit)).toEqual([
      { chain: 'FRPN00001', action: null, detail: null, recordIds: ['W1'] },
      { chain: 'FRPN00001', action: 'REFERENCE', detail: null, recordIds: ['W2', 'W3'] },
    ]);
  });

  it("records the owner's own reads of its reference-only records as plain disclosures", () => {
    const audit = auditFor('FRPN00001');
    audit.disclose('FRPN00001', 'W2', 'REFERENCE_ONLY');
    expect(summary(audit)).toEqual([{ chain: 'FRPN00001', action: null, detail: null, recordIds: ['W2'] }]);
  });

  it('says how many references a total too large to list counted', () => {
    const audit = auditFor('ESPN00001');
    const counted = { total: 500, owners: [{ owner: 'FRPN00001', count: 500, ids: null, referenceOnly: 3, referenceIds: null }] };
    audit.count(counted, 'WantedPersonConnection');
    expect(summary(audit)).toEqual([
      { chain: 'FRPN00001', action: 'COUNT', detail: '{"count":500,"of":"WantedPersonConnection","referenceOnly":3}', recordIds: [] },
    ]);
  });
});

describe('disclosures of records their owner marked notifyOwnerOnHit', () => {
  const notifyIds = (audit: RequestAudit) => audit.disclosureDrafts().map(({ chain, action, notifyIds }) => ({ chain, action, notifyIds }));

  it("names the marked records another agency's partner received, and only those", () => {
    const audit = auditFor('ESPN00001');
    audit.disclose('FRPN00001', 'W1', 'ALL_GRANTED', true);
    audit.disclose('FRPN00001', 'W2', 'ALL_GRANTED');
    audit.disclose('DEBKA0001', 'W3', 'ALL_GRANTED');
    expect(notifyIds(audit)).toEqual([
      { chain: 'FRPN00001', action: null, notifyIds: ['W1'] },
      { chain: 'DEBKA0001', action: null, notifyIds: undefined },
    ]);
  });

  it('names none when the owner reads its own marked records', () => {
    const audit = auditFor('FRPN00001');
    audit.disclose('FRPN00001', 'W1', 'ALL_GRANTED', true);
    expect(notifyIds(audit)).toEqual([{ chain: 'FRPN00001', action: null, notifyIds: undefined }]);
  });

  it('names the marked records a total listed', () => {
    const audit = auditFor('ESPN00001');
    const counted = listedCount([
      { owner: 'FRPN00001', id: 'W1', mode: 'ALL_GRANTED', notify: true },
      { owner: 'FRPN00001', id: 'W2', mode: 'ALL_GRANTED', notify: false },
    ]);
    audit.count(counted, 'WantedPersonConnection');
    expect(notifyIds(audit)).toEqual([{ chain: 'FRPN00001', action: null, notifyIds: ['W1'] }]);
  });

  it('names none on references, which are hits whatever the flag, nor on counts too large to list', () => {
    const audit = auditFor('ESPN00001');
    audit.disclose('FRPN00001', 'W1', 'REFERENCE_ONLY', true);
    audit.count(
      { total: 500, owners: [{ owner: 'FRPN00001', count: 500, ids: null, referenceOnly: 0, referenceIds: null }] },
      'WantedPersonConnection',
    );
    expect(notifyIds(audit)).toEqual([
      { chain: 'FRPN00001', action: 'REFERENCE', notifyIds: undefined },
      { chain: 'FRPN00001', action: 'COUNT', notifyIds: undefined },
    ]);
  });
});
