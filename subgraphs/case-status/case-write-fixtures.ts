import { randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { DEMO_AGENCIES, type Queryable } from '../kit/index.ts';

// Shared by the case-status write tests: partners, operations and probes of the stored rows.

const COUNTRIES = [...new Set(DEMO_AGENCIES.map((agency) => agency.country))];

/** A partner of `agency` granted every demo country, declaring an investigation (case history reasons need one). */
export const partner = (agency: string, scopes: readonly string[] = ALL_SCOPES, jurisdictions: string[] = COUNTRIES): Caller => ({
  principal: { subject: `writer-${agency}`, agency, scopes: new Set(scopes), jurisdictions },
  purpose: { code: 'INVESTIGATION', reference: 'REF-42' },
});
export const OWNER = partner('FRPN00001');
export const OTHER = partner('DEBKA0001');

export const key = () => randomUUID();

export const CASE_FIELDS = `caseNumber version status title jurisdiction owningAgency leadAgency releasability { mode jurisdictions agencies }
  statusHistory { status changedBy reason } subjects { totalCount nodes { id } } relatedProperty { totalCount nodes { id } }`;
export const OPEN = `mutation Open($input: OpenCaseInput!, $key: String!) { openCase(input: $input, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const STATUS = `mutation Status($c: ID!, $v: Int!, $status: CaseStatus!, $reason: String!, $key: String!) {
  changeCaseStatus(caseNumber: $c, expectedVersion: $v, status: $status, reason: $reason, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const AMEND = `mutation Amend($c: ID!, $v: Int!, $input: AmendCaseInput!, $key: String!) {
  amendCase(caseNumber: $c, expectedVersion: $v, input: $input, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const LINK_SUBJECT = `mutation Link($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseSubject(caseNumber: $c, expectedVersion: $v, personId: $id, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const UNLINK_SUBJECT = `mutation Unlink($c: ID!, $v: Int!, $id: ID!, $key: String!) { unlinkCaseSubject(caseNumber: $c, expectedVersion: $v, personId: $id, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const LINK_PROPERTY = `mutation Link($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseProperty(caseNumber: $c, expectedVersion: $v, propertyId: $id, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const UNLINK_PROPERTY = `mutation Unlink($c: ID!, $v: Int!, $id: ID!, $key: String!) { unlinkCaseProperty(caseNumber: $c, expectedVersion: $v, propertyId: $id, idempotencyKey: $key) { ${CASE_FIELDS} } }`;
export const REFRESH = 'mutation Refresh($entity: String!, $ids: [ID!]!) { refreshLinkSnapshots(entity: $entity, ids: $ids) }';

export const caseInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Operation Testcase',
  jurisdiction: 'fr-idf',
  reason: 'Complaint registered',
  ...overrides,
});

/** The actions of the WRITE entries about a record, oldest first. */
export const writesOf = (db: Queryable, id: string) =>
  db.query<{ action: string; chain: string }>(
    `select action, chain from audit_entry where kind = 'WRITE' and $1 = any(record_ids) order by seq`,
    [id],
  );

/** Refuses every audit append inside the write's transaction, so the write fails after its other statements ran. */
export async function withFailingAudit(db: Queryable, run: () => Promise<void>): Promise<void> {
  await db.exec(`create function refuse_audit() returns trigger language plpgsql as $$ begin raise exception 'injected audit failure'; end $$;
    create trigger refuse_audit before insert on audit_entry for each row execute function refuse_audit();`);
  try {
    await run();
  } finally {
    await db.exec('drop trigger refuse_audit on audit_entry; drop function refuse_audit();');
  }
}
