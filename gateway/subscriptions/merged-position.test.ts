import { describe, expect, it } from 'vitest';
import { encodePosition, parsePosition } from './merged-position.ts';

describe('merged positions', () => {
  it('round-trips in name order, whatever order the feeds were met in', () => {
    const id = encodePosition(
      new Map([
        ['wanted-persons', 40],
        ['case-status', 12],
      ]),
    );
    expect(id).toBe('case-status:12,wanted-persons:40');
    expect(parsePosition(id)).toEqual(
      new Map([
        ['case-status', 12],
        ['wanted-persons', 40],
      ]),
    );
  });

  it.each(['12', '', 'wanted-persons', 'wanted-persons:', 'wanted-persons:x', 'a:1,a:2', 'Wanted:1', 'a:1;b:2', 'a:1234567890123456'])(
    'refuses %j',
    (id) => expect(parsePosition(id)).toBeUndefined(),
  );
});
