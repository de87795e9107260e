import { devAuditKey } from '../../subgraphs/kit/audit/load-audit-key.ts';
import { CursorSealer } from '../../subgraphs/kit/rows/cursor-sealer.ts';
import { encodeCursor } from '../../subgraphs/kit/rows/pagination.ts';
import { SEED_COUNTS } from '../../subgraphs/kit/seed/seed-plan.ts';
import type { Subgraphs } from '../direct.ts';
import type { BenchSeed } from '../fleet.ts';
import { ANALYST } from '../partners.ts';
import { type BenchRequest, request, withExpected } from '../scenario.ts';

/** Cases → their subjects → each subject's cases → their related property → each item's case; `first` (20) a page. */
export const NESTED_QUERY = /* GraphQL */ `
  query NestedCases($after: String, $first: Int = 20) {
    cases(first: $first, after: $after) {
      nodes {
        caseNumber
        title
        status
        subjects(first: 20) {
          nodes {
            id
            fullName
            noticeType
            cases(first: 20) {
              nodes {
                caseNumber
                title
                status
                relatedProperty(first: 20) {
                  nodes {
                    id
                    description
                    case {
                      caseNumber
                      status
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** Everything case-status can answer alone: the whole tree but the persons' and items' own fields. */
const CASE_STATUS_PART = /* GraphQL */ `
  query ($after: String, $first: Int = 20) {
    cases(first: $first, after: $after) {
      nodes {
        caseNumber
        title
        status
        subjects(first: 20) {
          nodes {
            id
            cases(first: 20) {
              nodes {
                caseNumber
                title
                status
                relatedProperty(first: 20) {
                  nodes {
                    id
                    case {
                      caseNumber
                      status
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Link {
  id: string;
}
interface CaseTree {
  cases: {
    nodes: {
      caseNumber: string;
      title: string;
      status: string;
      subjects: {
        nodes: (Link & {
          cases: {
            nodes: { caseNumber: string; title: string; status: string; relatedProperty: { nodes: (Link & { case: unknown })[] } }[];
          };
        })[];
      };
    }[];
  };
}

/** The nested page joined by hand: case-status once, then persons and items in parallel, one call each. */
export async function nestedDirect(subgraphs: Subgraphs, variables: NestedVariables, user: number): Promise<unknown> {
  const tree = await subgraphs.ask<CaseTree>('case-status', CASE_STATUS_PART, variables, ANALYST, user);
  const personIds = new Set<string>();
  const itemIds = new Set<string>();
  for (const found of tree.cases.nodes) {
    for (const subject of found.subjects.nodes) {
      personIds.add(subject.id);
      for (const other of subject.cases.nodes) for (const item of other.relatedProperty.nodes) itemIds.add(item.id);
    }
  }
  const [persons, items] = await Promise.all([
    subgraphs.entities<{ fullName: string; noticeType: string }>(
      'wanted-persons',
      'WantedPerson',
      [...personIds].map((id) => ({ id })),
      'fullName noticeType',
      ANALYST,
      user,
    ),
    subgraphs.entities<{ description: string }>(
      'stolen-property',
      'PropertyItem',
      [...itemIds].map((id) => ({ id })),
      'description',
      ANALYST,
      user,
    ),
  ]);
  const person = new Map([...personIds].map((id, index) => [id, persons[index]!]));
  const item = new Map([...itemIds].map((id, index) => [id, items[index]!]));
  return {
    cases: {
      nodes: tree.cases.nodes.map((found) => ({
        caseNumber: found.caseNumber,
        title: found.title,
        status: found.status,
        subjects: {
          nodes: found.subjects.nodes.map((subject) => ({
            id: subject.id,
            fullName: person.get(subject.id)!.fullName,
            noticeType: person.get(subject.id)!.noticeType,
            cases: {
              nodes: subject.cases.nodes.map((other) => ({
                ...other,
                relatedProperty: {
                  nodes: other.relatedProperty.nodes.map((linked) => ({
                    id: linked.id,
                    description: item.get(linked.id)!.description,
                    case: linked.case,
                  })),
                },
              })),
            },
          })),
        },
      })),
    },
  };
}

type NestedVariables = {
  after: string | null;
  first: number;
};

/**
 * Partners only ever hold sealed cursors (the kit's opaque-cursors feature); the benchmark's subgraphs
 * run with their development audit key, from which case-status derives its cursor key.
 */
const caseCursors = CursorSealer.forSubgraph(devAuditKey('case-status'), 'case-status');

/** Pages of `first` cases (20) of the nested query spread over the seeded cases, one request per page. */
export async function nestedRequests(seed: BenchSeed, pages: number, subgraphs: Subgraphs, first = 20): Promise<BenchRequest[]> {
  const cases = SEED_COUNTS[seed].cases;
  const afters = Array.from({ length: pages }, (_, page) =>
    page === 0 ? null : caseCursors.seal(encodeCursor(`C${String(Math.floor((page * (cases - first)) / pages)).padStart(9, '0')}`)),
  );
  return withExpected(
    afters.map((after) => request(NESTED_QUERY, { after, first }, ANALYST, (direct, user) => nestedDirect(direct, { after, first }, user))),
    subgraphs,
  );
}
