import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import type { LookupCache } from '../kit/cache/lookup-cache.ts';
import type { Db } from '../kit/db/db.ts';
import { keyedLoader } from '../kit/rows/keyed-loader.ts';
import { RowScope } from '../kit/rows/row-scope.ts';
import { WantedPersonRepository, type WantedPersonRow } from './wanted-person-repository.ts';

/** What each request of the wanted-persons subgraph carries. */
export interface WantedPersonsContext {
  /** Who is asking, as the gateway vouched. */
  caller: Caller;
  persons: WantedPersonRepository;
  personById: DataLoader<string, WantedPersonRow | null>;
}

export function createContext(db: Db, caller: Caller, cache: LookupCache): WantedPersonsContext {
  const persons = new WantedPersonRepository(db, RowScope.for(caller), cache);
  return { caller, persons, personById: keyedLoader((ids) => persons.findByIds(ids), (row) => row.id) };
}
