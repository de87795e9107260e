import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import { type Db, keyedLoader, type LookupCache, RowScope } from '../kit/index.ts';
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
  return {
    caller,
    persons,
    personById: keyedLoader(
      (ids) => persons.findByIds(ids),
      (row) => row.id,
    ),
  };
}
