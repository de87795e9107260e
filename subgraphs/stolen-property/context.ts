import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import { type Db, keyedLoader, type LookupCache, RowScope } from '../kit/index.ts';
import { PropertyRepository } from './property-repository.ts';
import type { PropertyRow, TravelDocumentRow, VehicleRow } from './property-row.ts';

/** What each request of the stolen-property subgraph carries. */
export interface StolenPropertyContext {
  /** Who is asking, as the gateway vouched. */
  caller: Caller;
  property: PropertyRepository;
  propertyById: DataLoader<string, PropertyRow | null>;
  /** Keyed by normalised VIN. */
  vehicleByVin: DataLoader<string, VehicleRow | null>;
  /** Keyed by {@link documentKey}. */
  documentByKey: DataLoader<string, TravelDocumentRow | null>;
}

/**
 * The loader key of a travel document: country, slash, normalised number. Normalised numbers never
 * contain a slash (normaliseIdentifier removes them), so the key splits back unambiguously.
 */
export const documentKey = (issuingCountry: string, documentNorm: string): string => `${issuingCountry}/${documentNorm}`;

function splitDocumentKey(key: string) {
  const slash = key.indexOf('/');
  return { issuingCountry: key.slice(0, slash), documentNorm: key.slice(slash + 1) };
}

/** A fresh repository and empty loaders for one request, so nothing cached outlives it. */
export function createContext(db: Db, caller: Caller, cache: LookupCache): StolenPropertyContext {
  const property = new PropertyRepository(db, RowScope.for(caller), cache);
  return {
    caller,
    property,
    propertyById: keyedLoader(
      (ids) => property.findByIds(ids),
      (row) => row.id,
    ),
    vehicleByVin: keyedLoader(
      (vins) => property.findByVins(vins),
      (row) => row.vin_norm,
    ),
    documentByKey: keyedLoader(
      (keys) => property.findDocuments(keys.map(splitDocumentKey)),
      (row) => documentKey(row.issuing_country, row.document_norm),
    ),
  };
}
