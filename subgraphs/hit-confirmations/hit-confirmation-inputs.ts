import { z } from 'zod';
import { expectedVersion, MAX_GRANT_SECONDS, recordId, text } from '../kit/index.ts';
import { MAX_EXTENSION_SECONDS } from './hit-confirmation-settings.ts';
import { OPEN_STATUSES, RECORD_LETTER } from './hit-confirmation-request-repository.ts';
import { HIT_RECORD_LETTERS } from './hit-records.ts';

/** An id of `letters` (trimmed, upper-cased), refused before any SQL or call when it names no record. */
const idOf = (letters: string) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(new RegExp(`^[${letters}]\\d{9}$`), `must be ${[...letters].join(', ')} and nine digits`);

const STATUSES = [...OPEN_STATUSES, 'CONFIRMED', 'NOT_CONFIRMED', 'WITHDRAWN'] as const;

/** `requestHitConfirmation` arguments. */
export const requestArgs = z.object({
  input: z.object({
    recordId: idOf(HIT_RECORD_LETTERS),
    priority: z.enum(['URGENT', 'ROUTINE']),
    note: text(1_000).nullish(),
  }),
  idempotencyKey: z.string(),
});
export type HitRequestInput = z.output<typeof requestArgs>['input'];

/** `answerHitConfirmation` arguments: NEEDS_MORE_TIME says how much more, the other answers do not. */
export const answerArgs = z.object({
  input: z
    .object({
      requestId: idOf(RECORD_LETTER),
      answer: z.enum(['CONFIRMED', 'NOT_CONFIRMED', 'NEEDS_MORE_TIME']),
      note: text(1_000).nullish(),
      extendBySeconds: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(MAX_EXTENSION_SECONDS, `must be at most ${MAX_EXTENSION_SECONDS} (48 hours)`)
        .nullish(),
      releaseForSeconds: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(MAX_GRANT_SECONDS, `must be at most ${MAX_GRANT_SECONDS} (48 hours)`)
        .nullish(),
    })
    .superRefine((input, ctx) => {
      if (input.releaseForSeconds != null && input.answer !== 'CONFIRMED') {
        ctx.addIssue({ code: 'custom', path: ['releaseForSeconds'], message: `is only for CONFIRMED, not ${input.answer}` });
      }
      const extending = input.answer === 'NEEDS_MORE_TIME';
      if (extending && input.extendBySeconds == null) {
        ctx.addIssue({ code: 'custom', path: ['extendBySeconds'], message: 'is required with NEEDS_MORE_TIME' });
      }
      if (!extending && input.extendBySeconds != null) {
        ctx.addIssue({ code: 'custom', path: ['extendBySeconds'], message: `is only for NEEDS_MORE_TIME, not ${input.answer}` });
      }
    }),
  expectedVersion,
  idempotencyKey: z.string(),
});
export type HitAnswerInput = z.output<typeof answerArgs>['input'];

/** `withdrawHitConfirmation` arguments. */
export const withdrawArgs = z.object({ requestId: idOf(RECORD_LETTER), expectedVersion, idempotencyKey: z.string() });

/** `hitConfirmationRequests` filter. */
export const listFilter = z
  .object({
    side: z.enum(['REQUESTED', 'RECEIVED']).nullish(),
    statuses: z.array(z.enum(STATUSES)).max(STATUSES.length).nullish(),
    recordId: idOf(HIT_RECORD_LETTERS).nullish(),
  })
  .nullish()
  .transform((filter) => filter ?? {});

/** A request id as the lookup takes it; any other shape is BAD_USER_INPUT. */
export const requestIdOf = (value: string) => recordId(value, 'id', RECORD_LETTER);
