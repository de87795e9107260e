import type DataLoader from 'dataloader';
import {
  agencyCode,
  auditTrailQuery,
  jurisdictionCode,
  loadConnection,
  type PageArgs,
  readPage,
  RECORD_LETTERS,
  recordId,
  recordMetadataResolvers,
  uncounted,
} from '../kit/index.ts';
import type { LinkCount, LinkRow } from './case-link-repository.ts';
import type { CaseRow, CaseStatusChangeRow } from './case-repository.ts';
import type { CaseStatusContext } from './context.ts';
import { Mutation } from './mutations.ts';

interface CasesArgs extends PageArgs {
  status?: string | null;
  leadAgency?: string | null;
  jurisdiction?: string | null;
}

/** A reference to an entity another subgraph owns: case-status only knows its id. */
interface Reference {
  id: string;
}

const isoTimestamp = (value: Date | string): string => new Date(value).toISOString();
const byId = (row: { id: string }) => row.id;
const byCaseNumber = (row: CaseRow) => row.case_number;
const countWith = (loader: DataLoader<string, LinkCount | null>) => async (parent: string) =>
  (await loader.load(parent))?.counted ?? uncounted(0);

/**
 * Resolvers of the case-status SDL. Every nested field loads through the request's DataLoaders, so a
 * list of cases costs the same number of statements whatever its length.
 */
export const resolvers = {
  Query: {
    case: (_: unknown, args: { caseNumber: string }, ctx: CaseStatusContext) =>
      ctx.caseByNumber.load(recordId(args.caseNumber, 'caseNumber', RECORD_LETTERS.case)),
    cases: (_: unknown, args: CasesArgs, ctx: CaseStatusContext) => {
      const page = readPage(args);
      return ctx.cases.list(
        {
          status: args.status ?? undefined,
          leadAgency: args.leadAgency ? agencyCode(args.leadAgency, 'leadAgency') : undefined,
          jurisdiction: args.jurisdiction ? jurisdictionCode(args.jurisdiction, 'jurisdiction') : undefined,
        },
        page,
      );
    },
    caseStatusAudit: auditTrailQuery,
  },
  Mutation,
  Case: {
    __resolveReference: (reference: { caseNumber: string }, ctx: CaseStatusContext) =>
      ctx.caseByNumber.load(recordId(reference.caseNumber, 'caseNumber', RECORD_LETTERS.case)),
    caseNumber: (row: CaseRow) => row.case_number,
    statusHistory: (row: CaseRow, _: unknown, ctx: CaseStatusContext) => ctx.historyOfCase.load(row.case_number),
    leadAgency: (row: CaseRow) => row.lead_agency,
    openedAt: (row: CaseRow) => isoTimestamp(row.opened_at),
    updatedAt: (row: CaseRow) => isoTimestamp(row.updated_at),
    subjects: (row: CaseRow, args: PageArgs, ctx: CaseStatusContext) =>
      loadConnection<LinkRow>(ctx.subjectsOfCase, row.case_number, args, byId, countWith(ctx.subjectCountOfCase)),
    relatedProperty: (row: CaseRow, args: PageArgs, ctx: CaseStatusContext) =>
      loadConnection<LinkRow>(ctx.propertyOfCase, row.case_number, args, byId, countWith(ctx.propertyCountOfCase)),
    ...recordMetadataResolvers('case-status'),
  },
  CaseStatusChange: {
    changedAt: (row: CaseStatusChangeRow) => isoTimestamp(row.changed_at),
    changedBy: (row: CaseStatusChangeRow) => row.changed_by,
  },
  WantedPerson: {
    // The person lives in wanted-persons; `cases` below does the work, batched across references.
    __resolveReference: (reference: Reference): Reference => ({ id: recordId(reference.id, 'id', RECORD_LETTERS.wantedPerson) }),
    cases: (person: Reference, args: PageArgs, ctx: CaseStatusContext) =>
      loadConnection(ctx.casesOfPerson, person.id, args, byCaseNumber, countWith(ctx.caseCountOfPerson)),
  },
  PropertyItem: {
    __resolveReference: (reference: Reference): Reference => ({ id: recordId(reference.id, 'id', RECORD_LETTERS.propertyItem) }),
    case: (item: Reference, _: unknown, ctx: CaseStatusContext) => ctx.caseOfProperty.load(item.id),
  },
};
