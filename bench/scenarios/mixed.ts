import { SEED_COUNTS } from '../../subgraphs/kit/seed/seed-plan.ts';
import type { Subgraphs } from '../direct.ts';
import type { BenchSeed } from '../fleet.ts';
import { ANALYST } from '../partners.ts';
import { anyOf, type BenchRequest, request, type Scenario, weighted, withExpected } from '../scenario.ts';
import { zipfPick } from './lookups.ts';

const CASE_DETAIL = /* GraphQL */ `
  query CaseDetail($caseNumber: ID!) {
    case(caseNumber: $caseNumber) {
      caseNumber
      title
      status
      leadAgency
      openedAt
      updatedAt
      statusHistory {
        status
        changedAt
        changedBy
        reason
      }
      subjects(first: 20) {
        nodes {
          id
          fullName
          dateOfBirth
          noticeType
          caveats
        }
      }
      relatedProperty(first: 20) {
        nodes {
          id
          description
          status
        }
      }
    }
  }
`;
const CASE_STATUS_PART = /* GraphQL */ `
  query ($caseNumber: ID!) {
    case(caseNumber: $caseNumber) {
      caseNumber
      title
      status
      leadAgency
      openedAt
      updatedAt
      statusHistory {
        status
        changedAt
        changedBy
        reason
      }
      subjects(first: 20) {
        nodes {
          id
        }
      }
      relatedProperty(first: 20) {
        nodes {
          id
        }
      }
    }
  }
`;

interface CasePart {
  case: null | (Record<string, unknown> & { subjects: { nodes: { id: string }[] }; relatedProperty: { nodes: { id: string }[] } });
}

/** A case with its subjects' and items' details, joined by hand: case-status, then both others at once. */
async function caseDetailDirect(subgraphs: Subgraphs, caseNumber: string, user: number): Promise<unknown> {
  const { case: found } = await subgraphs.ask<CasePart>('case-status', CASE_STATUS_PART, { caseNumber }, ANALYST, user);
  if (!found) return { case: null };
  const [persons, items] = await Promise.all([
    subgraphs.entities<object>(
      'wanted-persons',
      'WantedPerson',
      found.subjects.nodes,
      'fullName dateOfBirth noticeType caveats',
      ANALYST,
      user,
    ),
    subgraphs.entities<object>('stolen-property', 'PropertyItem', found.relatedProperty.nodes, 'description status', ANALYST, user),
  ]);
  return {
    case: {
      ...found,
      subjects: { nodes: found.subjects.nodes.map((subject, index) => ({ ...subject, ...persons[index] })) },
      relatedProperty: { nodes: found.relatedProperty.nodes.map((item, index) => ({ ...item, ...items[index] })) },
    },
  };
}

/** Case detail requests over `count` cases spread over the seed. */
async function caseDetailRequests(seed: BenchSeed, count: number, subgraphs: Subgraphs): Promise<BenchRequest[]> {
  const cases = SEED_COUNTS[seed].cases;
  const numbers = Array.from({ length: count }, (_, k) => `C${String(1 + ((k * 7919) % cases)).padStart(9, '0')}`);
  return withExpected(
    numbers.map((caseNumber) =>
      request(CASE_DETAIL, { caseNumber }, ANALYST, (direct, user) => caseDetailDirect(direct, caseNumber, user)),
    ),
    subgraphs,
  );
}

/**
 * Scenario (d): what a day of partner traffic looks like, on subgraphs with their cache: border checks
 * (half), case files opened by investigators (a fifth), name searches (a fifth) and deep case
 * browsing (a tenth), reusing the other scenarios' requests.
 */
export async function mixedScenario(
  seed: BenchSeed,
  caseCount: number,
  parts: { lookups: BenchRequest[]; searches: BenchRequest[]; nested: BenchRequest[] },
  subgraphs: Subgraphs,
): Promise<Scenario> {
  const details = await caseDetailRequests(seed, caseCount, subgraphs);
  const partners = [
    ...new Map(
      [...parts.lookups, ...details, ...parts.searches, ...parts.nested].map((each) => [each.partner.name, each.partner]),
    ).values(),
  ];
  return {
    key: 'mixed',
    title: 'mixed partner workload: 50% lookups, 20% case files, 20% searches, 10% nested (Redis cache)',
    cached: true,
    partners,
    pick: weighted<BenchRequest>([
      [50, zipfPick(parts.lookups)],
      [20, anyOf(details)],
      [20, anyOf(parts.searches)],
      [10, anyOf(parts.nested)],
    ]),
  };
}
