import { describe, expect, it } from 'vitest';
import { loadHitConfirmationSettings } from './hit-confirmation-settings.ts';

describe('loadHitConfirmationSettings', () => {
  it("defaults to NCIC's deadlines, escalating as long again after the second request", () => {
    expect(loadHitConfirmationSettings({})).toEqual({
      deadlines: { URGENT: 600, ROUTINE: 3_600 },
      escalations: { URGENT: 600, ROUTINE: 3_600 },
      sweepMs: 1_000,
    });
  });

  it('takes each priority’s seconds as JSON', () => {
    const settings = loadHitConfirmationSettings({
      HIT_CONFIRMATION_DEADLINES: '{"URGENT":300,"ROUTINE":7200}',
      HIT_CONFIRMATION_ESCALATIONS: '{"URGENT":60,"ROUTINE":600}',
      HIT_CONFIRMATION_SWEEP_MS: '250',
    });
    expect(settings).toEqual({ deadlines: { URGENT: 300, ROUTINE: 7_200 }, escalations: { URGENT: 60, ROUTINE: 600 }, sweepMs: 250 });
  });

  it.each([
    ['not JSON', '600', /HIT_CONFIRMATION_DEADLINES: .*must be JSON|expected object/],
    ['a priority missing', '{"URGENT":600}', /HIT_CONFIRMATION_DEADLINES/],
    ['a priority unknown', '{"URGENT":600,"ROUTINE":3600,"LATER":1}', /HIT_CONFIRMATION_DEADLINES/],
    ['no time at all', '{"URGENT":0,"ROUTINE":3600}', /HIT_CONFIRMATION_DEADLINES\.URGENT/],
  ])('refuses deadlines that are %s, naming the variable', (_, value, message) => {
    expect(() => loadHitConfirmationSettings({ HIT_CONFIRMATION_DEADLINES: value })).toThrow(message);
  });
});
