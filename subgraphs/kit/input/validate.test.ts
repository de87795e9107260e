import { describe, expect, it } from 'vitest';
import { normaliseIdentifier, normalisePlate } from './normalise.ts';
import { RECORD_LETTERS, recordId } from './record-id.ts';
import { countryCode, lookupKey } from './validate.ts';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as { message: string; extensions: Record<string, unknown> };
  }
  throw new Error('not refused');
};

describe('record ids', () => {
  it('accept their letters and nine digits, trimmed and in any case', () => {
    expect(recordId(' w000000042 ', 'id', RECORD_LETTERS.wantedPerson)).toBe('W000000042');
    expect(recordId('a000000009', 'id', RECORD_LETTERS.propertyItem)).toBe('A000000009');
  });

  it.each([
    ['W1', RECORD_LETTERS.wantedPerson],
    ['V000000010', RECORD_LETTERS.wantedPerson],
    ['W0000000421', RECORD_LETTERS.wantedPerson],
    ['W00000004x', RECORD_LETTERS.wantedPerson],
    ['C-000000001', RECORD_LETTERS.case],
    ['W'.repeat(200_000), RECORD_LETTERS.wantedPerson],
  ])('refuse %s naming the field and the shape, never echoing the value', (value, letters) => {
    const error = refusal(() => recordId(value, 'id', letters));
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(error.message).toMatch(/^id must be a record id: .+ and nine digits, such as [A-Z]000000042$/);
  });

  it('spell out the letters of a kind with several', () => {
    expect(refusal(() => recordId('X000000001', 'id', RECORD_LETTERS.propertyItem)).message).toBe(
      'id must be a record id: V, D, F or A and nine digits, such as V000000042',
    );
  });
});

describe('lookup keys', () => {
  it('keep letters and digits, ignoring separators', () => {
    expect(lookupKey('ab-123 cd', 'plate', normalisePlate, 15)).toBe('AB123CD');
    expect(lookupKey('12/34.56-78', 'documentNumber', normaliseIdentifier, 20)).toBe('12345678');
  });

  it.each(['ÄÖ12', 'AB*12', 'X'.repeat(41), '-./'])('refuse %s', (value) => {
    expect(refusal(() => lookupKey(value, 'serialNumber', normaliseIdentifier)).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'serialNumber',
    });
  });
});

it('messages quote at most 40 characters of a bad value', () => {
  expect(refusal(() => countryCode('Z'.repeat(10_000), 'registrationCountry')).message.length).toBeLessThan(150);
});
