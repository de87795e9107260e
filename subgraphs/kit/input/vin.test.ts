import { describe, expect, it } from 'vitest';
import { isVinFormat, makeVin, vinCheckDigit, vinCheckDigitValid } from './vin.ts';

describe('VINs', () => {
  it('computes the North American check digit, X standing for 10', () => {
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe('X');
    expect(vinCheckDigitValid('1M8GDM9AXKP042788')).toBe(true);
    expect(vinCheckDigitValid('1M8GDM9A0KP042788')).toBe(false);
    expect(vinCheckDigitValid('11111111111111111')).toBe(true);
  });

  it('accepts only 17 characters without I, O or Q', () => {
    expect(isVinFormat('VF3ABCDE0SA000001')).toBe(true);
    expect(isVinFormat('VF3ABCDE0SA00000')).toBe(false);
    expect(isVinFormat('VF3ABCDEOSA000001')).toBe(false);
    expect(isVinFormat('vf3abcde0sa000001')).toBe(false);
  });

  it('builds VINs with the model-year code, sequence number and a valid check digit', () => {
    const vin = makeVin({ wmi: 'VF3', vds: 'LCBHZ', year: 2025, plant: 'G', serial: 42 });
    expect(vin).toMatch(/^VF3LCBHZ.SG000042$/);
    expect(vinCheckDigitValid(vin)).toBe(true);
    expect(makeVin({ wmi: 'WVW', vds: 'ZZZ1K', year: 2009, plant: 'W', serial: 1 })[9]).toBe('9');
    expect(makeVin({ wmi: 'WVW', vds: 'ZZZ1K', year: 2010, plant: 'W', serial: 1 })[9]).toBe('A');
    expect(() => makeVin({ wmi: 'VF3', vds: 'OOOOO', year: 2020, plant: 'G', serial: 1 })).toThrow(/do not form a VIN/);
  });
});
