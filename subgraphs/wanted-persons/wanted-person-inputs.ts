import { z } from 'zod';
import { CountryCode, expectedVersion, JurisdictionCode, pastDate, releasabilityInput, text } from '../kit/index.ts';

const sex = z.enum(['MALE', 'FEMALE', 'UNKNOWN']);
const noticeType = z.enum(['RED', 'BLUE', 'YELLOW', 'GREEN', 'ORANGE', 'PURPLE', 'BLACK']);
const caveat = z.enum(['ARMED', 'VIOLENT', 'ESCAPE_RISK']);
const names = z.array(text(200)).max(20, 'must list at most 20 entries');

const warrant = z.object({
  issuingCourt: text(200),
  issuedOn: pastDate,
  charges: z.array(text(200)).min(1, 'must list at least one charge').max(20, 'must list at most 20 charges'),
});

const noticeFields = {
  familyName: text(200),
  givenNames: text(200),
  aliases: names.nullish(),
  dateOfBirth: pastDate.nullish(),
  nationality: CountryCode.nullish(),
  sex,
  distinguishingMarks: names.nullish(),
  photoRef: text(200).nullish(),
  noticeType,
  warrant: warrant.nullish(),
  caveats: z.array(caveat).max(3).nullish(),
  jurisdiction: JurisdictionCode,
  releasability: releasabilityInput.nullish(),
};

/** `issueWantedNotice` arguments. */
export const issueArgs = z.object({ input: z.object(noticeFields), idempotencyKey: z.string() });

/** `amendWantedNotice` arguments: every field optional, at least one given. */
export const amendArgs = z.object({
  id: z.string().trim().toUpperCase(),
  expectedVersion,
  input: z
    .object({
      ...noticeFields,
      familyName: noticeFields.familyName.nullish(),
      givenNames: noticeFields.givenNames.nullish(),
      sex: sex.nullish(),
      noticeType: noticeType.nullish(),
      jurisdiction: JurisdictionCode.nullish(),
    })
    .refine((input) => Object.values(input).some((value) => value !== undefined && value !== null), 'must change at least one field'),
  idempotencyKey: z.string(),
});

/** `cancelWantedNotice` arguments. */
export const cancelArgs = z.object({ id: z.string().trim().toUpperCase(), expectedVersion, reason: text(500), idempotencyKey: z.string() });

/** `markPersonLocated` arguments. */
export const locateArgs = z.object({
  id: z.string().trim().toUpperCase(),
  expectedVersion,
  locatedOn: pastDate,
  place: text(300).nullish(),
  idempotencyKey: z.string(),
});

export type NoticeInput = z.output<typeof issueArgs>['input'];
export type NoticeAmendment = z.output<typeof amendArgs>['input'];
