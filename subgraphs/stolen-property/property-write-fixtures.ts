import { randomInt, randomUUID } from 'node:crypto';
import type { Caller } from '../../lib/authz/principal.ts';
import { ALL_SCOPES } from '../../lib/authz/scopes.ts';
import { makeVin } from '../kit/index.ts';

// What the stolen-property write tests share: partners, operations and inputs that never collide
// with seeded items or with each other (one counter per test file, from a random base).

export const partner = (agency: string, jurisdictions: string[], scopes: readonly string[] = ALL_SCOPES): Caller => ({
  principal: { subject: `writer-${agency}`, agency, scopes: new Set(scopes), jurisdictions },
  purpose: { code: 'OPERATIONS', reference: 'REF-9' },
});
export const OWNER = partner('FRPN00001', ['FR']);
export const OTHER = partner('DEBKA0001', ['FR', 'DE']);

export const FIELDS = `__typename id kind version status description jurisdiction owningAgency recoveredOn recoveryNote
  releasability { mode jurisdictions agencies }
  ... on Vehicle { vin plate registrationCountry make model colour year }
  ... on TravelDocument { documentNumber issuingCountry documentType }
  ... on Firearm { serialNumber calibre }
  ... on Artwork { title artist period }`;
export const REPORT = `mutation Report($input: ReportPropertyInput!, $key: String!) { reportPropertyStolen(input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
export const AMEND = `mutation Amend($id: ID!, $v: Int!, $input: AmendPropertyInput!, $key: String!) { amendPropertyItem(id: $id, expectedVersion: $v, input: $input, idempotencyKey: $key) { ${FIELDS} } }`;
export const RECOVER = `mutation Recover($id: ID!, $v: Int!, $on: String!, $note: String, $key: String!) { markPropertyRecovered(id: $id, expectedVersion: $v, recoveredOn: $on, note: $note, idempotencyKey: $key) { ${FIELDS} } }`;
export const BY_VIN = `query($vin: String!) { vehicleByVin(vin: $vin) { id version plate colour status } }`;
export const BY_PLATE = `query($plate: String!) { vehiclesByPlate(plate: $plate) { nodes { id version plate } } }`;
export const BY_DOCUMENT = `query($n: String!, $c: String!) { travelDocument(documentNumber: $n, issuingCountry: $c) { id version documentNumber issuingCountry } }`;

let next = randomInt(100_000, 800_000);
/** A number no other item of this test file uses. */
export const unique = () => (next += 1);

export const key = () => randomUUID();
export const today = () => new Date().toISOString().slice(0, 10);
export const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A VIN with a valid check digit, never seeded (the seed's sequence numbers stay far below). */
export const newVin = () => makeVin({ wmi: 'VF3', vds: 'TSTWR', year: 2021, plant: 'L', serial: unique() });

/** The same VIN with a wrong check digit (position 9). */
export const withWrongCheckDigit = (vin: string) => `${vin.slice(0, 8)}${vin[8] === '1' ? '2' : '1'}${vin.slice(9)}`;

export const vehicle = (overrides: Record<string, unknown> = {}) => ({
  vin: newVin(),
  plate: `TW-${unique()}`,
  registrationCountry: 'FR',
  make: 'Peugeot',
  model: '308',
  colour: 'grey',
  year: 2021,
  ...overrides,
});
export const travelDocument = (overrides: Record<string, unknown> = {}) => ({
  documentNumber: `TD${unique()}`,
  issuingCountry: 'FR',
  documentType: 'PASSPORT',
  ...overrides,
});
export const firearm = (overrides: Record<string, unknown> = {}) => ({
  serialNumber: `TS-${unique()}`,
  make: 'Glock',
  model: '17',
  calibre: '9x19mm',
  ...overrides,
});
export const artwork = (overrides: Record<string, unknown> = {}) => ({
  title: 'Nature morte au compotier',
  artist: 'Paul Cézanne',
  period: 'Post-Impressionism, 1880',
  ...overrides,
});

/** A report of a vehicle in FR-ARA, released to everyone granted. */
export const vehicleReport = (overrides: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) => ({
  kind: 'VEHICLE',
  jurisdiction: 'FR-ARA',
  vehicle: vehicle(fields),
  ...overrides,
});
