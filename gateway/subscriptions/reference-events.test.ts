import { describe, expect, it } from 'vitest';
import type { RecordEvent } from './record-event.ts';
import { asSeen } from './reference-events.ts';

const event = (change: string, category = 'RED') =>
  ({
    seq: 1,
    entity: 'WantedPerson',
    recordId: 'W1',
    change,
    at: '',
    owningAgency: 'FRPN00001',
    jurisdiction: 'FR',
    category,
  }) as RecordEvent;

describe('an event of a reference-only record', () => {
  it('shows its change as it is when the record is released in full', () => {
    expect(asSeen(event('CANCELLED'), { changes: ['CANCELLED'] }, true)).toBe('CANCELLED');
  });

  it('shows a cancellation, a recovery or a status change only as amended', () => {
    for (const change of ['CANCELLED', 'RECOVERED', 'STATUS_CHANGED']) expect(asSeen(event(change), {}, false)).toBe('AMENDED');
    for (const change of ['CREATED', 'RELEASE_CHANGED', 'AMENDED']) expect(asSeen(event(change), {}, false)).toBe(change);
  });

  it('never matches a filter on what the reference does not show, and matches one on an item’s kind', () => {
    expect(asSeen(event('CREATED'), { categories: ['RED'], categoryKey: 'noticeTypes' }, false)).toBeUndefined();
    expect(asSeen(event('STATUS_CHANGED', 'CLOSED'), { categories: ['CLOSED'], categoryKey: 'statuses' }, false)).toBeUndefined();
    expect(asSeen(event('CANCELLED'), { changes: ['CANCELLED'] }, false)).toBeUndefined();
    expect(asSeen(event('CREATED', 'VEHICLE'), { categories: ['VEHICLE'], categoryKey: 'kinds' }, false)).toBe('CREATED');
  });
});
