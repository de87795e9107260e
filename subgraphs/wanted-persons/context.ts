import type DataLoader from 'dataloader';
import type { Db } from '../kit/db.ts';
import { keyedLoader } from '../kit/keyed-loader.ts';
import { WantedPersonRepository, type WantedPersonRow } from './wanted-person-repository.ts';

/** What each request of the wanted-persons subgraph carries. */
export interface WantedPersonsContext {
  persons: WantedPersonRepository;
  personById: DataLoader<string, WantedPersonRow | null>;
}

export function createContext(db: Db): WantedPersonsContext {
  const persons = new WantedPersonRepository(db);
  return { persons, personById: keyedLoader((ids) => persons.findByIds(ids), (row) => row.id) };
}
