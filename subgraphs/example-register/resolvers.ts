import { auditTrailQuery, type PageArgs, readPage, recordId, recordMetadataResolvers } from '../kit/index.ts';
import type { ExampleRegisterContext } from './context.ts';
import { type ExampleRecordRow, RECORD_LETTER } from './example-record-repository.ts';
import { Mutation } from './mutations.ts';

export const resolvers = {
  Query: {
    exampleRecord: (_: unknown, args: { id: string }, ctx: ExampleRegisterContext) =>
      ctx.recordById.load(recordId(args.id, 'id', RECORD_LETTER)),
    exampleRecords: (_: unknown, args: PageArgs, ctx: ExampleRegisterContext) => ctx.records.list(readPage(args)),
    exampleRegisterAudit: auditTrailQuery,
  },
  Mutation,
  ExampleRecord: {
    __resolveReference: (reference: { id: string }, ctx: ExampleRegisterContext) => ctx.recordById.load(reference.id),
    linkedPerson: (row: ExampleRecordRow) => (row.linked_person_id ? { id: row.linked_person_id } : null),
    ...recordMetadataResolvers('example-register'),
  },
};
