import type DataLoader from 'dataloader';
import type { Caller } from '../../lib/authz/principal.ts';
import {
  type Db,
  groupedLoader,
  keyedLoader,
  type LookupCache,
  type PagedLoader,
  pagedLoader,
  type RecordOwners,
  RowScope,
} from '../kit/index.ts';
import { CaseLinkRepository, type LinkCount, type LinkedCaseRow, type LinkRow } from './case-link-repository.ts';
import { CaseRepository, type CaseRow, type CaseStatusChangeRow } from './case-repository.ts';
import { LinkSnapshotStore } from './link-snapshot-store.ts';

/** What each request of the case-status subgraph carries: every nested field goes through a loader. */
export interface CaseStatusContext {
  /** Who is asking, as the gateway vouched. */
  caller: Caller;
  cases: CaseRepository;
  caseByNumber: DataLoader<string, CaseRow | null>;
  historyOfCase: DataLoader<string, CaseStatusChangeRow[]>;
  subjectsOfCase: PagedLoader<LinkRow>;
  subjectCountOfCase: DataLoader<string, LinkCount | null>;
  propertyOfCase: PagedLoader<LinkRow>;
  propertyCountOfCase: DataLoader<string, LinkCount | null>;
  casesOfPerson: PagedLoader<LinkedCaseRow>;
  caseCountOfPerson: DataLoader<string, LinkCount | null>;
  caseOfProperty: DataLoader<string, LinkedCaseRow | null>;
  /** Asks the subgraphs owning linked records about them, on the caller's behalf. */
  linkOwners: RecordOwners;
  linkSnapshots: LinkSnapshotStore;
}

/** Builds one request's context: fresh loaders, so nothing cached outlives the request. */
export function createContext(db: Db, caller: Caller, cache: LookupCache, linkOwners: RecordOwners): CaseStatusContext {
  const scope = RowScope.for(caller);
  const cases = new CaseRepository(db, scope, cache);
  const links = new CaseLinkRepository(db, scope);
  const byParent = (row: { parent: string }) => row.parent;
  return {
    caller,
    cases,
    caseByNumber: keyedLoader(
      (numbers) => cases.findByNumbers(numbers),
      (row) => row.case_number,
    ),
    historyOfCase: groupedLoader(
      (numbers) => cases.history(numbers),
      (row) => row.case_number,
    ),
    subjectsOfCase: pagedLoader((numbers, page) => links.subjects(numbers, page), byParent),
    subjectCountOfCase: keyedLoader((numbers) => links.subjectCounts(numbers), byParent),
    propertyOfCase: pagedLoader((numbers, page) => links.property(numbers, page), byParent),
    propertyCountOfCase: keyedLoader((numbers) => links.propertyCounts(numbers), byParent),
    casesOfPerson: pagedLoader((ids, page) => links.casesOfPersons(ids, page), byParent),
    caseCountOfPerson: keyedLoader((ids) => links.personCaseCounts(ids), byParent),
    caseOfProperty: keyedLoader((ids) => links.latestCaseOfProperty(ids), byParent),
    linkOwners,
    linkSnapshots: new LinkSnapshotStore(db),
  };
}
