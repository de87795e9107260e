import {
  auditTrailQuery,
  countryCode,
  jurisdictionCode,
  lookupKey,
  normaliseIdentifier,
  normalisePlate,
  type PageArgs,
  type PropertyKind,
  readPage,
  RECORD_LETTERS,
  recordId,
  recordMetadataResolvers,
  searchText,
  vehicleIdentificationNumber,
} from '../kit/index.ts';
import { documentKey, type StolenPropertyContext } from './context.ts';
import { describe } from './description.ts';
import { Mutation } from './mutations.ts';
import { type FirearmRow, type PropertyRow, TYPE_OF_KIND, type TravelDocumentRow, type VehicleRow } from './property-row.ts';

interface PlateArgs extends PageArgs {
  plate: string;
  registrationCountry?: string | null;
}

interface SerialArgs extends PageArgs {
  serialNumber: string;
  make?: string | null;
}

interface SearchArgs extends PageArgs {
  text?: string | null;
  kind?: PropertyKind | null;
  status?: string | null;
  jurisdiction?: string | null;
}

/** The item a representation names, by its id in the one shape item ids have. */
const propertyOf = (reference: { id: string }, ctx: StolenPropertyContext) =>
  ctx.propertyById.load(recordId(reference.id, 'id', RECORD_LETTERS.propertyItem));

/**
 * Resolves a reference to a concrete type: the row, or null when the id names an item of another kind,
 * so `{ __typename: "Vehicle", id: "D000000005" }` cannot present a document as a vehicle.
 */
const referenceOfKind =
  (kind: PropertyKind) =>
  async (reference: { id: string }, ctx: StolenPropertyContext): Promise<PropertyRow | null> => {
    const row = await propertyOf(reference, ctx);
    return row?.kind === kind ? row : null;
  };

/** Fields every kind resolves the same way. */
const itemFields = {
  description: describe,
  reportedAt: (row: PropertyRow) => new Date(row.reported_at).toISOString(),
  recoveredOn: (row: PropertyRow) => row.recovered_on,
  recoveryNote: (row: PropertyRow) => row.recovery_note,
  ...recordMetadataResolvers('stolen-property'),
};

/** The stolen-property resolver map: input validation here, SQL in the repository, columns to fields below. */
export const resolvers = {
  Query: {
    propertyItem: (_: unknown, args: { id: string }, ctx: StolenPropertyContext) =>
      ctx.propertyById.load(recordId(args.id, 'id', RECORD_LETTERS.propertyItem)),
    vehicleByVin: (_: unknown, args: { vin: string }, ctx: StolenPropertyContext) =>
      ctx.vehicleByVin.load(vehicleIdentificationNumber(args.vin, 'vin')),
    vehiclesByPlate: (_: unknown, args: PlateArgs, ctx: StolenPropertyContext) => {
      const page = readPage(args);
      const plate = lookupKey(args.plate, 'plate', normalisePlate, 15);
      return ctx.property.byPlate(
        plate,
        args.registrationCountry ? countryCode(args.registrationCountry, 'registrationCountry') : undefined,
        page,
      );
    },
    travelDocument: (_: unknown, args: { documentNumber: string; issuingCountry: string }, ctx: StolenPropertyContext) => {
      const number = lookupKey(args.documentNumber, 'documentNumber', normaliseIdentifier, 20);
      return ctx.documentByKey.load(documentKey(countryCode(args.issuingCountry, 'issuingCountry'), number));
    },
    firearmsBySerial: (_: unknown, args: SerialArgs, ctx: StolenPropertyContext) => {
      const page = readPage(args);
      const serial = lookupKey(args.serialNumber, 'serialNumber', normaliseIdentifier);
      return ctx.property.bySerial(serial, args.make ? searchText(args.make, 'make', 40) : undefined, page);
    },
    searchProperty: (_: unknown, args: SearchArgs, ctx: StolenPropertyContext) => {
      const page = readPage(args);
      return ctx.property.search(
        {
          text: args.text == null ? undefined : searchText(args.text, 'text'),
          kind: args.kind ?? undefined,
          status: args.status ?? undefined,
          jurisdiction: args.jurisdiction ? jurisdictionCode(args.jurisdiction, 'jurisdiction') : undefined,
        },
        page,
      );
    },
    stolenPropertyAudit: auditTrailQuery,
  },
  Mutation,
  // The case-status subgraph extends PropertyItem as an @interfaceObject, so the gateway sends
  // `{ __typename: "PropertyItem", id }`; __resolveType then names the concrete type.
  PropertyItem: {
    __resolveReference: propertyOf,
    __resolveType: (row: PropertyRow) => TYPE_OF_KIND[row.kind],
  },
  Vehicle: {
    __resolveReference: referenceOfKind('VEHICLE'),
    registrationCountry: (row: VehicleRow) => row.registration_country,
    ...itemFields,
  },
  TravelDocument: {
    __resolveReference: referenceOfKind('TRAVEL_DOCUMENT'),
    documentNumber: (row: TravelDocumentRow) => row.document_number,
    issuingCountry: (row: TravelDocumentRow) => row.issuing_country,
    documentType: (row: TravelDocumentRow) => row.document_type,
    ...itemFields,
  },
  Firearm: {
    __resolveReference: referenceOfKind('FIREARM'),
    serialNumber: (row: FirearmRow) => row.serial_number,
    ...itemFields,
  },
  Artwork: {
    __resolveReference: referenceOfKind('ARTWORK'),
    ...itemFields,
  },
};
