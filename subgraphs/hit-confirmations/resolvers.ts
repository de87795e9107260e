import { z } from 'zod';
import { auditTrailQuery, type PageArgs, parseInput, readPage, recordMetadataResolvers } from '../kit/index.ts';
import type { HitConfirmationsContext } from './context.ts';
import { listFilter, requestIdOf } from './hit-confirmation-inputs.ts';
import type { HitConfirmationRequestRow, HitConfirmationStepRow } from './hit-confirmation-request-repository.ts';
import { hitRecordKindOfType } from './hit-records.ts';
import { Mutation } from './mutations.ts';

const listArgs = z.object({ filter: listFilter });
type Row = HitConfirmationRequestRow;

export const resolvers = {
  Query: {
    hitConfirmationRequest: (_: unknown, args: { id: string }, ctx: HitConfirmationsContext) => ctx.requestById.load(requestIdOf(args.id)),
    hitConfirmationRequests: (_: unknown, args: PageArgs & { filter?: unknown }, ctx: HitConfirmationsContext) =>
      ctx.requests.list(parseInput(listArgs, { filter: args.filter }).filter, readPage(args)),
    hitConfirmationsAudit: auditTrailQuery,
  },
  Mutation,
  HitConfirmationRequest: {
    __resolveReference: (reference: { id: string }, ctx: HitConfirmationsContext) => ctx.requestById.load(reference.id),
    recordId: (row: Row) => row.record_id,
    recordKind: (row: Row) => hitRecordKindOfType(row.record_type)?.kind ?? null,
    recordType: (row: Row) => row.record_type,
    person: (row: Row) => (row.record_type === 'WantedPerson' ? { id: row.record_id } : null),
    item: (row: Row) => (row.record_type === 'PropertyItem' ? { id: row.record_id } : null),
    requestingAgency: (row: Row) => row.requesting_agency,
    requestNote: (row: Row) => row.request_note,
    purpose: (row: Row) => row.purpose_code,
    purposeReference: (row: Row) => row.purpose_reference,
    requestedAt: (row: Row) => row.requested_at,
    dueAt: (row: Row) => row.due_at,
    secondRequestAt: (row: Row) => row.second_request_at,
    escalatedAt: (row: Row) => row.escalated_at,
    answerNote: (row: Row) => row.answer_note,
    answeredAt: (row: Row) => row.answered_at,
    releasedUntil: (row: Row) => row.released_until,
    history: (row: Row, _: unknown, ctx: HitConfirmationsContext) => ctx.stepsOfRequest.load(row.id),
    ...recordMetadataResolvers('hit-confirmations'),
  },
  HitConfirmationStep: {
    step: (row: HitConfirmationStepRow) => row.step,
  },
  PropertyItem: {
    __resolveReference: (reference: { id: string }) => reference,
  },
};
