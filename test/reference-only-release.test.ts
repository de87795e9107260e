import { randomUUID } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RE_INVALIDATE_MS } from '../subgraphs/kit/write/write-runner.ts';
import type { Caller } from '../lib/authz/principal.ts';
import type { DevTokenClaims } from '../lib/identity/dev-token.ts';
import { vehicle } from '../subgraphs/stolen-property/property-write-fixtures.ts';
import { ENGINES } from './support/databases.ts';
import { graphql } from './support/graphql-client.ts';
import {
  AMEND,
  CASE_CONTENT,
  CASE_FIELDS,
  expectReference,
  ISSUE,
  LINK,
  OPEN,
  PERSON_CONTENT,
  PERSON_FIELDS,
  REPORT,
  VEHICLE_CONTENT,
  VEHICLE_FIELDS,
} from './support/reference-only.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// Records released REFERENCE_ONLY, through the gateway and the real subgraphs (lookup cache on Redis):
// a partner granted the jurisdiction gets the reference and nothing else on every path; the owner gets
// the record in full; a partner not granted it gets nothing at all.

const OWNER: Partial<DevTokenClaims> = { subject: 'fr-owner', agency: 'FRPN00001', jurisdictions: ['FR'] };
const CASE_OWNER: Partial<DevTokenClaims> = { subject: 'de-lead', agency: 'DEBKA0001', jurisdictions: ['FR', 'DE'] };
const PARTNER: Partial<DevTokenClaims> = { subject: 'es-border', agency: 'ESPN00001', jurisdictions: ['FR', 'DE', 'ES'] };
const OUTSIDER: Partial<DevTokenClaims> = { subject: 'it-analyst', agency: 'ITPS00001', jurisdictions: ['IT'] };
const REFERENCE_ONLY = { mode: 'REFERENCE_ONLY' };
const SECRETS = ['Quillfeather', 'Ottoline', '1971-04-02'];

const PERSON = `query Person($id: ID!) { wantedPerson(id: $id) { ${PERSON_FIELDS} } }`;
const SEARCH = `query Search { searchWantedPersons(name: "quillfeather ottoline") { totalCount nodes { ${PERSON_FIELDS} } } }`;
const SUBJECTS = `query Subjects($c: ID!) { case(caseNumber: $c) { caseNumber subjects { totalCount nodes { ${PERSON_FIELDS} } } } }`;
const VEHICLE = `query Vehicle($vin: String!) { vehicleByVin(vin: $vin) { ${VEHICLE_FIELDS} } }`;
const ITEM = `query Item($id: ID!) { propertyItem(id: $id) { ... on Vehicle { ${VEHICLE_FIELDS} } } }`;
const CASE = `query Case($c: ID!) { case(caseNumber: $c) { ${CASE_FIELDS} } }`;
const EVENTS = `subscription Alerts { wantedPersonEvents(filter: { jurisdictions: ["FR"] }) { change person { id releasedInFull familyName } } }`;

describe.each(ENGINES)('REFERENCE_ONLY release through the gateway on %s', (engine) => {
  let stack: Stack;
  let person: { id: string; version: number };
  let vin: string;
  let itemId: string;
  let linkedCase: string;
  let referenceCase: string;

  const ask = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown> = {}) =>
    graphql(stack.gatewayUrl, query, variables, await bearer(claims));
  const write = async (claims: Partial<DevTokenClaims>, query: string, variables: Record<string, unknown>) => {
    const response = await ask(claims, query, { ...variables, key: randomUUID() });
    expect(response.errors).toBeUndefined();
    return Object.values(response.data!)[0] as Record<string, any>;
  };
  const trail = (subgraph: string, id: string) =>
    stack.databases[subgraph]!.query<{ chain: string; partner_agency: string; action: string | null }>(
      `select chain, partner_agency, action from audit_entry where kind = 'DISCLOSURE' and $1 = any(record_ids) order by seq`,
      [id],
    );

  beforeAll(async () => {
    stack = await startStack(engine, { redis: true });
    const input = { familyName: 'Quillfeather', givenNames: 'Ottoline', dateOfBirth: '1971-04-02', sex: 'FEMALE', noticeType: 'RED' };
    person = (await write(OWNER, ISSUE, { input: { ...input, jurisdiction: 'FR', releasability: REFERENCE_ONLY } })) as typeof person;
    vin = vehicle().vin;
    itemId = (
      await write(OWNER, REPORT, {
        input: { kind: 'VEHICLE', jurisdiction: 'FR-IDF', vehicle: vehicle({ vin }), releasability: REFERENCE_ONLY },
      })
    ).id;
    const opened = await write(CASE_OWNER, OPEN, { input: { title: 'Operation Heron', jurisdiction: 'DE' } });
    linkedCase = opened.caseNumber;
    await write(CASE_OWNER, LINK, { c: linkedCase, v: opened.version, id: person.id });
    referenceCase = (
      await write(CASE_OWNER, OPEN, { input: { title: 'Operation Kestrel', jurisdiction: 'DE', releasability: REFERENCE_ONLY } })
    ).caseNumber;
  }, 120_000);
  afterAll(() => stack?.close());

  const personReference = () => ({ id: person.id, owningAgency: 'FRPN00001', jurisdiction: 'FR' });

  it('shows a granted partner a reference on lookup and on a name search that hits, its owner the whole record', async () => {
    expectReference(await ask(PARTNER, PERSON, { id: person.id }), ['wantedPerson'], personReference(), PERSON_CONTENT, SECRETS);
    const search = await ask(PARTNER, SEARCH);
    expect(search.data?.searchWantedPersons.totalCount).toBe(1);
    expectReference(search, ['searchWantedPersons', 'nodes', 0], personReference(), PERSON_CONTENT, SECRETS);
    const own = await ask(OWNER, PERSON, { id: person.id });
    expect(own.errors).toBeUndefined();
    expect(own.data?.wantedPerson).toMatchObject({ familyName: 'Quillfeather', releasedInFull: true, noticeType: 'RED', version: 1 });
  });

  it('tells a partner not granted the jurisdiction nothing: no record, no hit', async () => {
    expect(await ask(OUTSIDER, PERSON, { id: person.id })).toEqual({ status: 200, data: { wantedPerson: null } });
    expect((await ask(OUTSIDER, SEARCH)).data?.searchWantedPersons).toEqual({ totalCount: 0, nodes: [] });
  });

  it('serves a reference from the cache the owner warmed, and the owner its record in full from the same entry', async () => {
    // A write invalidates its records' keys once more a second after commit: an entry warmed before
    // that (the records were written in beforeAll) could be dropped between the reads below.
    await new Promise((resolve) => setTimeout(resolve, RE_INVALIDATE_MS + 250));
    await ask(OWNER, PERSON, { id: person.id });
    stack.resetQueryCounts();
    expectReference(await ask(PARTNER, PERSON, { id: person.id }), ['wantedPerson'], personReference(), PERSON_CONTENT, SECRETS);
    expect((await ask(OWNER, PERSON, { id: person.id })).data?.wantedPerson.familyName).toBe('Quillfeather');
    expect(stack.queryCounts()['wanted-persons']).toBe(0);
  });

  it("lists a case's reference-only subject as a reference, through the entity reference to its owner", async () => {
    const snapshot = await stack.databases['case-status']!.query('select release_mode from case_subject where person_id = $1', [person.id]);
    expect(snapshot).toEqual([{ release_mode: 'REFERENCE_ONLY' }]);
    const subjects = await ask(PARTNER, SUBJECTS, { c: linkedCase });
    expect(subjects.data?.case.subjects.totalCount).toBe(1);
    expectReference(subjects, ['case', 'subjects', 'nodes', 0], personReference(), PERSON_CONTENT, SECRETS);
  });

  it('shows stolen property and cases released REFERENCE_ONLY as references, with their kind', async () => {
    const item = { id: itemId, kind: 'VEHICLE', owningAgency: 'FRPN00001', jurisdiction: 'FR-IDF' };
    expectReference(await ask(PARTNER, VEHICLE, { vin }), ['vehicleByVin'], item, VEHICLE_CONTENT, [vin]);
    expectReference(await ask(PARTNER, ITEM, { id: itemId }), ['propertyItem'], item, VEHICLE_CONTENT, [vin]);
    const kestrel = { caseNumber: referenceCase, owningAgency: 'DEBKA0001', jurisdiction: 'DE' };
    expectReference(await ask(PARTNER, CASE, { c: referenceCase }), ['case'], kestrel, CASE_CONTENT, ['Kestrel']);
    expect((await ask(CASE_OWNER, CASE, { c: referenceCase })).data?.case).toMatchObject({
      title: 'Operation Kestrel',
      releasedInFull: true,
    });
  });

  it("records every disclosure of a reference in the owner's trail as a REFERENCE entry, the owner's own reads as plain ones", async () => {
    await ask(PARTNER, PERSON, { id: person.id });
    const entries = await trail('wanted-persons', person.id);
    expect(entries.filter((entry) => entry.partner_agency === 'ESPN00001').map((entry) => entry.action)).toContain('REFERENCE');
    for (const entry of entries)
      expect([entry.chain, entry.action]).toEqual(['FRPN00001', entry.partner_agency === 'FRPN00001' ? null : 'REFERENCE']);
    expect(entries.some((entry) => entry.partner_agency === 'ITPS00001')).toBe(false);
    // case-status lists the subject, so its trail records it, in the person's owner's chain, as a reference.
    expect(await trail('case-status', person.id)).toContainEqual({ chain: 'FRPN00001', partner_agency: 'ESPN00001', action: 'REFERENCE' });
    expect(
      (await trail('stolen-property', itemId)).filter((entry) => entry.partner_agency === 'ESPN00001').map((entry) => entry.action),
    ).toEqual(['REFERENCE', 'REFERENCE']);
  });

  it("delivers a reference-only record's events to a granted subscriber as references", async () => {
    const caller: Caller = {
      principal: { subject: 'es-alerts', agency: 'ESPN00001', scopes: new Set(['wanted:read', 'wanted:pii']), jurisdictions: ['FR'] },
      purpose: { code: 'BORDER_CHECK', reference: 'POST-9' },
    };
    const stream = (await stack.gateway.subscribe(caller, { query: EVENTS })) as AsyncIterableIterator<ExecutionResult>;
    const amended = await write(OWNER, AMEND, { id: person.id, v: person.version, input: { noticeType: 'BLUE' } });
    person = amended as typeof person;
    for (;;) {
      const step = await stream.next();
      if (step.done) throw new Error('stream ended');
      const value: ExecutionResult = step.value;
      const delivered = (value.data as any).wantedPersonEvents;
      if (delivered.person.id !== person.id) continue;
      expect(delivered).toEqual({ change: 'AMENDED', person: { id: person.id, releasedInFull: false, familyName: null } });
      expect(value.errors?.map((error) => error.extensions.code)).toEqual(['NOT_RELEASED']);
      break;
    }
    await stream.return!();
  });
});
