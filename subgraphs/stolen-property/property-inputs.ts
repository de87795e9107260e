import { z } from 'zod';
import {
  CountryCode,
  expectedVersion,
  isVinFormat,
  JurisdictionCode,
  normaliseIdentifier,
  normalisePlate,
  pastDate,
  type PropertyKind,
  releasabilityInput,
  text,
  vinCheckDigit,
} from '../kit/index.ts';

/** The nested input that carries each kind's fields. */
export const KIND_INPUTS = {
  VEHICLE: 'vehicle',
  TRAVEL_DOCUMENT: 'travelDocument',
  FIREARM: 'firearm',
  ARTWORK: 'artwork',
} as const satisfies Record<PropertyKind, string>;
const KIND_OF_LETTER: Record<string, PropertyKind> = { V: 'VEHICLE', D: 'TRAVEL_DOCUMENT', F: 'FIREARM', A: 'ARTWORK' };
type KindInput = (typeof KIND_INPUTS)[PropertyKind];

/** Trimmed, upper-cased, inner runs of spaces made one: how plates and numbers are stored as issued. */
const identifier = (max: number) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .max(max, `must be at most ${max} characters`)
    .transform((value) => value.replace(/\s+/g, ' '));

/** A VIN as stored: without separators, 17 characters of the VIN alphabet, its check digit right. */
const vin = z
  .string()
  .transform(normaliseIdentifier)
  .superRefine((value, ctx) => {
    if (!isVinFormat(value)) ctx.addIssue({ code: 'custom', message: 'must be 17 characters: digits and letters except I, O and Q' });
    else if (value[8] !== vinCheckDigit(value))
      ctx.addIssue({ code: 'custom', message: `fails its check digit: position 9 must be ${vinCheckDigit(value)}, not ${value[8]}` });
  });

/** Lookups ignore case, spaces, dashes and dots (normalisePlate), so that is what must remain. */
const plate = identifier(20).refine(
  (value) => /^[A-Z0-9]{1,15}$/.test(normalisePlate(value)) && !/[^\p{L}\p{N} .-]/u.test(value),
  'must be 1 to 15 letters or digits, optionally separated by spaces, dashes or dots',
);

/** Document numbers and serials: letters and digits; spaces, dots, dashes and slashes are ignored by lookups. */
const lookupNumber = (max: number) =>
  identifier(max + 10).refine(
    (value) => new RegExp(`^[A-Z0-9]{1,${max}}$`).test(normaliseIdentifier(value)),
    `must be 1 to ${max} letters or digits, optionally separated by spaces, dots, dashes or slashes`,
  );

/** Model years run one ahead of the calendar. */
const modelYear = z
  .number()
  .int('must be a whole number')
  .refine((year) => year >= 1886 && year <= new Date().getUTCFullYear() + 1, `must be a model year from 1886 to next year`);

const documentType = z.enum(['PASSPORT', 'IDENTITY_CARD', 'RESIDENCE_PERMIT', 'VISA']);

const vehicle = z.object({
  vin,
  plate,
  registrationCountry: CountryCode,
  make: text(60),
  model: text(60),
  colour: text(40),
  year: modelYear.nullish(),
});
const travelDocument = z.object({ documentNumber: lookupNumber(20), issuingCountry: CountryCode, documentType });
const firearm = z.object({ serialNumber: lookupNumber(40), make: text(60), model: text(60), calibre: text(40) });
const artwork = z.object({ title: text(300), artist: text(200), period: text(100) });

/** Each kind's fields, all optional for an amendment, which must change at least one. */
const amendmentOf = <S extends z.ZodObject>(schema: S) =>
  schema
    .partial()
    .refine((fields) => Object.values(fields).some((value) => value !== undefined && value !== null), 'must change at least one field');

const kindFields = {
  vehicle: vehicle.nullish(),
  travelDocument: travelDocument.nullish(),
  firearm: firearm.nullish(),
  artwork: artwork.nullish(),
};
const kindAmendments = {
  vehicle: amendmentOf(vehicle).nullish(),
  travelDocument: amendmentOf(travelDocument).nullish(),
  firearm: amendmentOf(firearm).nullish(),
  artwork: amendmentOf(artwork).nullish(),
};

/** Flags every nested kind input other than `expected`, and `expected` itself if required and absent. */
function checkKindInputs(
  input: Partial<Record<KindInput, unknown>>,
  kind: PropertyKind,
  required: boolean,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const expected = KIND_INPUTS[kind];
  for (const name of Object.values(KIND_INPUTS)) {
    if (name !== expected && input[name] != null)
      ctx.addIssue({
        code: 'custom',
        path: [...path, name],
        message: `must be omitted: the item is a ${kind}, whose fields go in ${expected}`,
      });
  }
  if (required && input[expected] == null)
    ctx.addIssue({ code: 'custom', path: [...path, expected], message: `is required for kind ${kind}` });
}

const recordId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[VDFA][0-9]{9}$/, 'must be a record id: V, D, F or A and nine digits, such as V000000010');

/** `reportPropertyStolen` arguments: exactly the nested input of `kind`. */
export const reportArgs = z.object({
  input: z
    .object({
      kind: z.enum(['VEHICLE', 'TRAVEL_DOCUMENT', 'FIREARM', 'ARTWORK']),
      jurisdiction: JurisdictionCode,
      releasability: releasabilityInput.nullish(),
      ...kindFields,
    })
    .superRefine((input, ctx) => checkKindInputs(input, input.kind, true, [], ctx)),
  idempotencyKey: z.string(),
});

/** `amendPropertyItem` arguments: the record id's letter says its kind, so a nested input of another kind is refused here. */
export const amendArgs = z
  .object({
    id: recordId,
    expectedVersion,
    input: z
      .object({ jurisdiction: JurisdictionCode.nullish(), releasability: releasabilityInput.nullish(), ...kindAmendments })
      .refine((input) => Object.values(input).some((value) => value !== undefined && value !== null), 'must change at least one field'),
    idempotencyKey: z.string(),
  })
  .superRefine((args, ctx) => {
    const kind = KIND_OF_LETTER[args.id.charAt(0)];
    if (kind) checkKindInputs(args.input, kind, false, ['input'], ctx);
  });

/** `markPropertyRecovered` arguments. */
export const recoverArgs = z.object({
  id: recordId,
  expectedVersion,
  recoveredOn: pastDate,
  note: text(500).nullish(),
  idempotencyKey: z.string(),
});

export type ReportInput = z.output<typeof reportArgs>['input'];
export type Amendment = z.output<typeof amendArgs>['input'];
