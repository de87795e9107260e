/**
 * The kit's public face: everything an agency's subgraph may use, and nothing else. Agency folders and
 * the scaffold import only this file (the linter enforces it), so the kit can move its files freely.
 */
export { AgencyCode, CountryCode, JurisdictionCode } from '../../lib/domain/index.ts';
export { LookupCache } from './cache/lookup-cache.ts';
export type { Db, Queryable } from './db/db.ts';
export { groupedLoader, keyedLoader } from './rows/keyed-loader.ts';
export { RowScope } from './rows/row-scope.ts';
export type { OwnershipColumns } from './rows/row-scope.ts';
export { runSubgraph } from './server/run-subgraph.ts';
export { buildSubgraphServer } from './server/subgraph-server.ts';
export type {
  BuiltSubgraph,
  KitContext,
  SubgraphDefinition,
  SubgraphFeature,
  SubgraphFeatureFactory,
  SubgraphServerOptions,
} from './server/contract.ts';
export { SUBGRAPH_FEATURES } from './server/subgraph-features.ts';
export { writeMutation } from './write/write-mutation.ts';
export { readPage, toConnection } from './rows/pagination.ts';
export type { Connection, Page, PageArgs } from './rows/pagination.ts';
export { countRecords, listedCount, uncounted } from './rows/counted.ts';
export type { Counted, OwnerCount } from './rows/counted.ts';
export { RECORD_LETTERS, recordId } from './input/record-id.ts';
export { recordMetadataResolvers } from './rows/record-metadata.ts';
export type { RecordRow } from './rows/record-metadata.ts';
export {
  agencyCode,
  countryCode,
  isoDate,
  jurisdictionCode,
  lookupKey,
  searchText,
  vehicleIdentificationNumber,
} from './input/validate.ts';
export { auditTrailQuery } from './audit/audit-entry-resolvers.ts';
export type { RequestAudit } from './audit/request-audit.ts';
export { bulkInsert } from './db/bulk-insert.ts';
export { normaliseIdentifier, normaliseName, normalisePlate } from './input/normalise.ts';
export { DEMO_AGENCIES, seedOwnershipOf } from './seed/seed-agencies.ts';
export type { SeededKind } from './seed/seed-agencies.ts';
export { personId, propertyId, propertyKindOf, Random, recordId as seedRecordId, SEED_COUNTS } from './seed/seed-plan.ts';
export type { PropertyKind, SeedSize } from './seed/seed-plan.ts';
export { expectedVersion, parseInput, pastDate, releasabilityInput, text } from './write/input-schemas.ts';
export { lockOwnedRecord } from './write/lock-owned-record.ts';
export { grantArgs, grantRelease, MAX_GRANT_SECONDS } from './write/release-grant.ts';
export { assertJurisdictionGranted, newRecordOwnership, releaseColumns } from './write/record-ownership.ts';
export type { DelegatedIdentity, IdentityFor, WriteOutcome, WrittenRecord } from './write/write-runner.ts';
export { amendmentChange, RECORD_CHANGES } from './events/record-change.ts';
export { insertRecordEvents } from './events/record-event-outbox.ts';
export { type HitFacts, hitEvent, type HitKind } from './events/hit-events.ts';
export { BACKGROUND_SQL } from './db/background-sql.ts';
export type { RecordChange } from './events/record-change.ts';
export { verifyChains } from './audit/verify-chains.ts';
export { isVinFormat, makeVin, vinCheckDigit } from './input/vin.ts';
export { fillPattern } from './seed/seed-pattern.ts';
export { loadConnection, pagedLoader } from './rows/paged-loader.ts';
export type { PagedLoader } from './rows/paged-loader.ts';
export { callSubgraph, errorCodesOf, SubgraphUnreachable } from './links/call-subgraph.ts';
export { MAX_OWNED_RECORDS, type OwnedKind, type OwnershipSnapshot, RecordOwners } from './links/record-owners.ts';
