import { z } from 'zod';
import { expectedVersion, JurisdictionCode, releasabilityInput, text } from '../kit/index.ts';
import { KIND_OF_ENTITY } from './linked-kinds.ts';
import { MAX_OWNED_RECORDS } from '../kit/index.ts';
import { CASE_STATUSES } from './seed-text.ts';

const upper = () => z.string().trim().toUpperCase();
const caseNumber = upper().regex(/^C\d{9}$/, 'must be a case number: C and nine digits, e.g. C000000042');
const personId = upper().regex(/^W\d{9}$/, 'must be a wanted-person record id: W and nine digits, e.g. W000000042');
const propertyId = upper().regex(/^[VDFA]\d{9}$/, 'must be a property item id: V, D, F or A and nine digits, e.g. V000000010');
const recordId = upper().regex(/^[A-Z]\d{9}$/, 'must be a record id: a letter and nine digits');
const title = text(200);
const reason = text(500);

/** `openCase` arguments. */
export const openArgs = z.object({
  input: z.object({ title, jurisdiction: JurisdictionCode, releasability: releasabilityInput.nullish(), reason: reason.nullish() }),
  idempotencyKey: z.string(),
});

/** `changeCaseStatus` arguments. */
export const statusArgs = z.object({ caseNumber, expectedVersion, status: z.enum(CASE_STATUSES), reason, idempotencyKey: z.string() });

/** `amendCase` arguments: every field optional, at least one given. */
export const amendArgs = z.object({
  caseNumber,
  expectedVersion,
  input: z
    .object({ title: title.nullish(), jurisdiction: JurisdictionCode.nullish(), releasability: releasabilityInput.nullish() })
    .refine((input) => Object.values(input).some((value) => value !== undefined && value !== null), 'must change at least one field'),
  idempotencyKey: z.string(),
});

/** `linkCaseSubject` and `unlinkCaseSubject` arguments. */
export const subjectArgs = z.object({ caseNumber, expectedVersion, personId, idempotencyKey: z.string() });

/** `linkCaseProperty` and `unlinkCaseProperty` arguments. */
export const propertyArgs = z.object({ caseNumber, expectedVersion, propertyId, idempotencyKey: z.string() });

/** `refreshLinkSnapshots` arguments. */
export const refreshArgs = z.object({
  entity: z.enum(Object.keys(KIND_OF_ENTITY) as [keyof typeof KIND_OF_ENTITY], {
    error: `must be one of ${Object.keys(KIND_OF_ENTITY).join(', ')}`,
  }),
  ids: z.array(recordId).min(1, 'must list at least one id').max(MAX_OWNED_RECORDS, `must list at most ${MAX_OWNED_RECORDS} ids`),
});

export type OpenCaseInput = z.output<typeof openArgs>['input'];
export type CaseAmendment = z.output<typeof amendArgs>['input'];
