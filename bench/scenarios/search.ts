import type { Subgraphs } from '../direct.ts';
import { ANALYST } from '../partners.ts';
import { type BenchRequest, singleSubgraph, withExpected } from '../scenario.ts';

const SEARCH_QUERY = /* GraphQL */ `
  query Search($name: String!) {
    searchWantedPersons(name: $name, first: 20) {
      nodes {
        id
        fullName
        aliases
        dateOfBirth
        nationality
        noticeType
        status
      }
    }
  }
`;

/** Names as partners type them: any case, accents left out, one or two words. */
const NAMES = [
  'muller',
  'garcia jose',
  'dupont',
  'lukasz',
  'rossi',
  'de vries',
  'yilmaz',
  'smith',
  'helene moreau',
  'kowalczyk',
  'sofia pena',
  'bjorn berg',
  'anja weiss',
  'giulia bianchi',
  'oliver davies',
  'joost jansen',
];

/** One request per name. */
export async function searchRequests(subgraphs: Subgraphs): Promise<BenchRequest[]> {
  return withExpected(
    NAMES.map((name) => singleSubgraph('wanted-persons', SEARCH_QUERY, { name }, ANALYST)),
    subgraphs,
  );
}
