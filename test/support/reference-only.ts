import { expect } from 'vitest';
import type { GraphqlResponse } from './graphql-client.ts';

/** The reference of a record released REFERENCE_ONLY, as every partner granted its jurisdiction gets it. */
export const REFERENCE = { releasability: { mode: 'REFERENCE_ONLY', jurisdictions: [], agencies: [] }, releasedInFull: false };

/** Every field of WantedPerson beyond the reference, with a sub-selection where the field needs one. */
export const PERSON_CONTENT = [
  'familyName',
  'givenNames',
  'fullName',
  'aliases',
  'dateOfBirth',
  'nationality',
  'sex',
  'distinguishingMarks',
  'photoRef',
  'noticeType',
  'warrant { issuingCourt }',
  'caveats',
  'status',
  'lastVerifiedOn',
  'provenance { sourceSystem }',
  'version',
  'locatedOn',
  'statusNote',
];
export const PERSON_FIELDS = `id owningAgency jurisdiction releasability { mode jurisdictions agencies } releasedInFull ${PERSON_CONTENT.join(' ')}`;

/** Every field of Vehicle beyond the reference (kind included in the reference). */
export const VEHICLE_CONTENT = [
  'description',
  'reportedAt',
  'status',
  'provenance { sourceSystem }',
  'version',
  'recoveredOn',
  'vin',
  'plate',
  'registrationCountry',
  'make',
  'model',
  'colour',
];
export const VEHICLE_FIELDS = `id kind owningAgency jurisdiction releasability { mode jurisdictions agencies } releasedInFull ${VEHICLE_CONTENT.join(' ')}`;

/** Every field of Case beyond the reference. */
export const CASE_CONTENT = [
  'title',
  'status',
  'statusHistory { status }',
  'leadAgency',
  'provenance { sourceSystem }',
  'openedAt',
  'updatedAt',
  'version',
  'subjects { totalCount }',
  'relatedProperty { totalCount }',
];
export const CASE_FIELDS = `caseNumber owningAgency jurisdiction releasability { mode jurisdictions agencies } releasedInFull ${CASE_CONTENT.join(' ')}`;

const names = (fields: string[]) => fields.map((field) => field.split(' ')[0]!);

/**
 * `record` (found at `path` in `response`) is exactly a reference: the reference fields as `expected`,
 * every content field null, and one NOT_RELEASED error per content field at its path, worded the same
 * for each, so that no error says anything about what a field holds. `secrets` must appear nowhere.
 */
export function expectReference(
  response: GraphqlResponse,
  path: (string | number)[],
  expected: Record<string, unknown>,
  content: string[],
  secrets: string[],
): void {
  const record = path.reduce<any>((value, key) => value?.[key], response.data);
  expect(record).toEqual({ ...expected, ...REFERENCE, ...Object.fromEntries(names(content).map((field) => [field, null])) });
  const refused = (response.errors ?? []).filter((error) => JSON.stringify(error.path?.slice(0, path.length)) === JSON.stringify(path));
  expect(refused.map((error) => error.path?.at(-1)).sort()).toEqual(names(content).sort());
  expect(new Set(refused.map((error) => `${error.extensions?.code} ${error.message}`)).size).toBe(1);
  expect(refused[0]?.extensions?.code).toBe('NOT_RELEASED');
  const text = JSON.stringify(response);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

/** The writes that set the records up, by their owners. */
export const ISSUE = `mutation($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id version } }`;
export const AMEND = `mutation($id: ID!, $v: Int!, $input: AmendWantedNoticeInput!, $key: String!) {
  amendWantedNotice(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { id version } }`;
export const REPORT = `mutation($input: ReportPropertyInput!, $key: String!) { reportPropertyStolen(input: $input, idempotencyKey: $key) { id } }`;
export const OPEN = `mutation($input: OpenCaseInput!, $key: String!) { openCase(input: $input, idempotencyKey: $key) { caseNumber version } }`;
export const LINK = `mutation($c: ID!, $v: Int!, $id: ID!, $key: String!) { linkCaseSubject(caseNumber: $c, expectedVersion: $v, personId: $id, idempotencyKey: $key) { version } }`;
