import { defaultFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import type { RecordRow } from '../rows/record-metadata.ts';
import type { RequestAudit } from './request-audit.ts';

/** For each object type whose rows are records of this subgraph's own, how to read a row's record id. */
export type AuditedTypes = Readonly<Record<string, (row: never) => string>>;

/**
 * Wraps every field of the audited types so that serving any field of a record marks the record as
 * disclosed to the request. Runs inside the field-rule check (call it before `enforceFieldRules`), so
 * a field refused to the caller discloses nothing.
 */
export function trackDisclosures(schema: GraphQLSchema, audited: AuditedTypes, auditOf: (context: unknown) => RequestAudit): void {
  for (const [typeName, idOf] of Object.entries(audited)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`audited type ${typeName} is not an object type of the schema`);
    const recordId = idOf as (row: RecordRow) => string;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (row: RecordRow, args, context, info) => {
        auditOf(context).disclose(row.owning_agency, recordId(row));
        return resolve(row, args, context, info);
      };
    }
  }
}
