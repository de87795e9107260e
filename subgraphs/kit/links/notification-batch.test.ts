import { describe, expect, it } from 'vitest';
import { deliveriesOf } from './notification-batch.ts';
import type { ClaimedNotification, StoredCaller } from './notification-outbox.ts';

const caller = (subject: string): StoredCaller => ({
  principal: { subject, agency: 'FRPN00001', scopes: ['wanted:read'], jurisdictions: ['FR'] },
  purpose: null,
});
const row = (seq: string, record_id: string, extra: Partial<ClaimedNotification> = {}): ClaimedNotification => ({
  seq,
  keeper: 'case-status',
  entity: 'WantedPerson',
  record_id,
  caller: caller('fr-analyst'),
  attempts: 0,
  ...extra,
});

describe('deliveriesOf', () => {
  it('collapses the versions of one record into its latest, which acknowledges the ones before it', () => {
    const [delivery, ...rest] = deliveriesOf([row('7', 'W1'), row('12', 'W1'), row('9', 'W1'), row('8', 'W2')]);
    expect(rest).toEqual([]);
    expect([...delivery!.through]).toEqual([
      ['W1', '12'],
      ['W2', '8'],
    ]);
    expect(delivery!.seqs.sort()).toEqual(['12', '7', '8', '9']);
  });

  it("reads a record back with its latest writer's rights", () => {
    const deliveries = deliveriesOf([row('3', 'W1', { caller: caller('first') }), row('4', 'W1', { caller: caller('second') })]);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.caller.principal?.subject).toBe('second');
  });

  it('compares seqs as numbers beyond the range of a double', () => {
    const deliveries = deliveriesOf([row('9007199254740993', 'W1'), row('9007199254740992', 'W1'), row('10', 'W1')]);
    expect(deliveries[0]!.through.get('W1')).toBe('9007199254740993');
  });

  it('makes one call per keeper, entity and writer, and keeps the backoff of the most-tried row', () => {
    const deliveries = deliveriesOf([
      row('1', 'W1', { attempts: 5 }),
      row('2', 'W1', { attempts: 0 }),
      row('3', 'W2', { keeper: 'other' }),
      row('4', 'V1', { entity: 'PropertyItem' }),
      row('5', 'W3', { caller: caller('someone-else') }),
    ]);
    expect(deliveries.map((d) => [d.keeper, d.entity, d.caller.principal?.subject, [...d.through.keys()], d.attempts])).toEqual([
      ['case-status', 'WantedPerson', 'fr-analyst', ['W1'], 5],
      ['other', 'WantedPerson', 'fr-analyst', ['W2'], 0],
      ['case-status', 'PropertyItem', 'fr-analyst', ['V1'], 0],
      ['case-status', 'WantedPerson', 'someone-else', ['W3'], 0],
    ]);
  });
});
