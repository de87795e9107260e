import { z } from 'zod';
import { PURPOSES } from '../../../lib/authz/principal.ts';
import { type PageArgs, readPage } from '../rows/pagination.ts';
import type { KitContext } from '../server/contract.ts';
import { parseInput } from '../write/input-schemas.ts';
import type { AuditEntry } from './audit-entry.ts';
import { AGENCY_CODE } from '../../../lib/domain/index.ts';

const timestamp = z
  .string()
  .trim()
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date or timestamp',
  )
  .transform((value) => new Date(value).toISOString());

const auditTrailArgs = z.object({
  filter: z
    .object({
      recordId: z.string().trim().min(1).max(40).nullish(),
      partnerSubject: z.string().trim().min(1).max(200).nullish(),
      partnerAgency: z.string().trim().toUpperCase().regex(AGENCY_CODE, 'must be a 9-character agency code').nullish(),
      purpose: z.enum(PURPOSES).nullish(),
      kind: z.enum(['DISCLOSURE', 'WRITE']).nullish(),
      action: z.string().trim().min(1).max(100).nullish(),
      from: timestamp.nullish(),
      to: timestamp.nullish(),
    })
    .nullish(),
  first: z.number().nullish(),
  after: z.string().nullish(),
});

/**
 * The resolver of a subgraph's `<name>Audit` query: the trail of the caller's own agency, filtered
 * and paginated, newest first. Field rules in the SDL (`audit:read`) decide who may call it.
 */
export function auditTrailQuery(_: unknown, args: unknown, ctx: KitContext) {
  const { filter, ...page } = parseInput(auditTrailArgs, args);
  const present = <T>(value: T | null | undefined) => value ?? undefined;
  return ctx.auditTrail.list(
    {
      recordId: present(filter?.recordId),
      partnerSubject: present(filter?.partnerSubject),
      partnerAgency: present(filter?.partnerAgency),
      purpose: present(filter?.purpose),
      kind: present(filter?.kind),
      action: present(filter?.action),
      from: present(filter?.from),
      to: present(filter?.to),
    },
    readPage(page as PageArgs),
  );
}

/** Resolvers of the kit's AuditEntry type, as served by `subgraph`. */
export function auditEntryResolvers(subgraph: string) {
  return {
    AuditEntry: {
      owningAgency: (entry: AuditEntry) => entry.chain,
      sourceSubgraph: () => subgraph,
      purpose: (entry: AuditEntry) => entry.purposeCode,
      previousHash: (entry: AuditEntry) => entry.prevHash,
    },
  };
}
