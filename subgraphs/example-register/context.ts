import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import { type Db, keyedLoader, type LookupCache, RowScope } from '../kit/index.ts';
import { ExampleRecordRepository, type ExampleRecordRow } from './example-record-repository.ts';

/** What each request of the example-register subgraph carries. */
export interface ExampleRegisterContext {
  /** Who is asking, as the gateway vouched. */
  caller: Caller;
  records: ExampleRecordRepository;
  recordById: DataLoader<string, ExampleRecordRow | null>;
}

export function createContext(db: Db, caller: Caller, cache: LookupCache): ExampleRegisterContext {
  const records = new ExampleRecordRepository(db, RowScope.for(caller), cache);
  return {
    caller,
    records,
    recordById: keyedLoader(
      (ids) => records.findByIds(ids),
      (row) => row.id,
    ),
  };
}
