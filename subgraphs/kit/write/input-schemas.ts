import { z } from 'zod';
import { AgencyCode, CountryCode } from '../../../lib/domain/index.ts';
import { badUserInput, type FieldProblem } from '../../../lib/errors/index.ts';

/**
 * Validates a mutation's arguments before any SQL. A rejection is one BAD_USER_INPUT error naming every
 * offending field (`extensions.fields`, e.g. `input.vin`) and why, so a client fixes all at once.
 */
export function parseInput<S extends z.ZodType>(schema: S, args: unknown): z.output<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(arguments)', message: issue.message }));
  return fail(fields);
}

function fail(fields: FieldProblem[]): never {
  throw badUserInput(`Invalid input: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`, fields);
}

const trimmed = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Free text of bounded length, trimmed. */
export const text = trimmed;

/** A calendar date (YYYY-MM-DD) that exists and is not in the future. */
export const pastDate = z
  .string()
  .trim()
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'must be a date as YYYY-MM-DD')
  .refine((value) => value <= new Date().toISOString().slice(0, 10), 'must not be in the future');

/** The version of the record the client last read. */
export const expectedVersion = z.number().int('must be a whole number').min(1, 'must be at least 1');

/** The owner's release decision, as GraphQL's ReleasabilityInput. Partners are matched by their agency's country, so it names countries. */
export const releasabilityInput = z
  .object({
    mode: z.enum(['ALL_GRANTED', 'ONLY', 'EXCEPT', 'OWNER_ONLY', 'REFERENCE_ONLY']),
    jurisdictions: z
      .array(CountryCode)
      .max(50, 'must list at most 50 codes')
      .nullish()
      .transform((codes) => [...new Set(codes ?? [])]),
    agencies: z
      .array(AgencyCode)
      .max(50, 'must list at most 50 codes')
      .nullish()
      .transform((codes) => [...new Set(codes ?? [])]),
    // Undefined when omitted: a new record is then unflagged, an amended one keeps its flag.
    notifyOwnerOnHit: z
      .boolean()
      .nullish()
      .transform((flag) => flag ?? undefined),
  })
  .superRefine((value, ctx) => {
    const named = value.jurisdictions.length + value.agencies.length;
    if (value.mode === 'ONLY' && named === 0)
      ctx.addIssue({ code: 'custom', path: ['mode'], message: 'ONLY must name at least one jurisdiction or agency' });
    // REFERENCE_ONLY goes to everyone granted, as a reference: it lists nobody, so a reference tells nothing of whom the owner trusts.
    if ((value.mode === 'ALL_GRANTED' || value.mode === 'OWNER_ONLY' || value.mode === 'REFERENCE_ONLY') && named > 0) {
      ctx.addIssue({ code: 'custom', path: ['mode'], message: `${value.mode} takes no jurisdictions or agencies` });
    }
  });

export type ReleasabilityInput = z.output<typeof releasabilityInput>;
