import pg from 'pg';
import { personId, SEED_COUNTS } from '../../subgraphs/kit/seed/seed-plan.ts';
import type { Subgraphs } from '../direct.ts';
import type { BenchSeed } from '../fleet.ts';
import { BORDER } from '../partners.ts';
import { type BenchRequest, type Scenario, singleSubgraph, withExpected, zipf } from '../scenario.ts';

const PERSON =
  'query Person($id: ID!) { wantedPerson(id: $id) { id fullName dateOfBirth nationality noticeType status caveats owningAgency jurisdiction } }';
const VIN = 'query Vin($vin: String!) { vehicleByVin(vin: $vin) { id vin plate make model colour status owningAgency jurisdiction } }';
const PLATE =
  'query Plate($plate: String!) { vehiclesByPlate(plate: $plate, first: 5) { nodes { id vin plate make model colour status } } }';

/**
 * Border checks: record-id, VIN and plate lookups over `perKind` keys of each kind, spread over the
 * seed. Ranks interleave the kinds, so each kind has hot and cold keys.
 */
export async function lookupRequests(
  seed: BenchSeed,
  perKind: number,
  stolenPropertyDatabase: string,
  subgraphs: Subgraphs,
): Promise<BenchRequest[]> {
  const persons = SEED_COUNTS[seed].persons;
  const client = new pg.Client({ connectionString: stolenPropertyDatabase });
  await client.connect();
  const vehicles = await client
    .query<{ vin: string; plate: string }>(`select vin, plate from property_item where kind = 'VEHICLE' order by md5(id) limit $1`, [
      perKind,
    ])
    .finally(() => client.end());
  const requests: BenchRequest[] = [];
  for (let k = 0; k < perKind; k += 1) {
    requests.push(singleSubgraph('wanted-persons', PERSON, { id: personId(1 + ((k * 7919) % persons)) }, BORDER));
    const vehicle = vehicles.rows[k % vehicles.rows.length]!;
    requests.push(singleSubgraph('stolen-property', VIN, { vin: vehicle.vin }, BORDER));
    requests.push(singleSubgraph('stolen-property', PLATE, { plate: vehicle.plate }, BORDER));
  }
  return withExpected(requests, subgraphs);
}

/** A Zipf-distributed pick over lookups prepared by {@link lookupRequests}. */
export function zipfPick(requests: BenchRequest[]): () => BenchRequest {
  const rank = zipf(requests.length);
  return () => requests[rank()]!;
}

/** Scenario (b): hot lookups, once on subgraphs with their Redis cache and once without. */
export function lookupScenario(requests: BenchRequest[], cached: boolean): Scenario {
  return {
    key: cached ? 'lookups-cached' : 'lookups',
    title: `hot lookups: Zipf id/VIN/plate (${cached ? 'Redis cache' : 'no cache'})`,
    cached,
    partners: [BORDER],
    pick: zipfPick(requests),
  };
}
