import { z } from 'zod';
import { expectedVersion, JurisdictionCode, RECORD_LETTERS, releasabilityInput, text } from '../kit/index.ts';
import { RECORD_LETTER } from './example-record-repository.ts';

/** A record id, trimmed and upper-cased: the letter and nine digits, or refused before any SQL. */
const idOf = (letter: string) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(new RegExp(`^${letter}\\d{9}$`), `must be ${letter} and nine digits`);

const fields = {
  label: text(200),
  linkedPersonId: idOf(RECORD_LETTERS.wantedPerson).nullish(),
  jurisdiction: JurisdictionCode,
  releasability: releasabilityInput.nullish(),
};

/** `registerExampleRecord` arguments. */
export const registerArgs = z.object({ input: z.object(fields), idempotencyKey: z.string() });
export type RegisterInput = z.output<typeof registerArgs>['input'];

/** `amendExampleRecord` arguments: every field optional, at least one given. */
export const amendArgs = z.object({
  id: idOf(RECORD_LETTER),
  expectedVersion,
  input: z
    .object({ ...fields, label: fields.label.nullish(), jurisdiction: fields.jurisdiction.nullish() })
    .refine((input) => Object.values(input).some((value) => value !== undefined && value !== null), 'must change at least one field'),
  idempotencyKey: z.string(),
});
export type Amendment = z.output<typeof amendArgs>['input'];
