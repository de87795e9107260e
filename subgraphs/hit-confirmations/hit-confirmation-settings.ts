import { z } from 'zod';
import { parseEnv } from '../../lib/config/env.ts';

/** Seconds per priority: NCIC's 10 minutes for an urgent hit and an hour for a routine one. */
const perPriority = (name: string) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${name} must be JSON, e.g. {"URGENT":600,"ROUTINE":3600}` });
        return z.NEVER;
      }
    })
    .pipe(z.object({ URGENT: z.number().int().min(1).max(604_800), ROUTINE: z.number().int().min(1).max(604_800) }).strict());

const settingsEnv = z.object({
  /** How long an owner has to answer, by priority. */
  HIT_CONFIRMATION_DEADLINES: perPriority('HIT_CONFIRMATION_DEADLINES').default({ URGENT: 600, ROUTINE: 3_600 }),
  /** How long after the second request (sent at the deadline) an unanswered request is escalated; as long again by default. */
  HIT_CONFIRMATION_ESCALATIONS: perPriority('HIT_CONFIRMATION_ESCALATIONS').optional(),
  /** How often the deadlines are checked; a deadline's step is taken at most this long after it falls due. */
  HIT_CONFIRMATION_SWEEP_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
});

export type HitPriority = 'URGENT' | 'ROUTINE';

/** The deadlines of hit confirmation requests, in seconds per priority. */
export interface HitConfirmationSettings {
  deadlines: Record<HitPriority, number>;
  escalations: Record<HitPriority, number>;
  sweepMs: number;
}

/** The settings from the environment (the HIT_CONFIRMATION_* variables), checked once at start-up. */
export function loadHitConfirmationSettings(source?: NodeJS.ProcessEnv): HitConfirmationSettings {
  const env = parseEnv(settingsEnv, source);
  return {
    deadlines: env.HIT_CONFIRMATION_DEADLINES,
    escalations: env.HIT_CONFIRMATION_ESCALATIONS ?? env.HIT_CONFIRMATION_DEADLINES,
    sweepMs: env.HIT_CONFIRMATION_SWEEP_MS,
  };
}

/** The longest a NEEDS_MORE_TIME answer moves a deadline by: Prüm II's 48 hours. */
export const MAX_EXTENSION_SECONDS = 172_800;
