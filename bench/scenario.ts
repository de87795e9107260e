import type { Subgraphs } from './direct.ts';
import type { Partner } from './partners.ts';

/** One request a benchmark sends, with the answer it must get. */
export interface BenchRequest {
  /** The GraphQL request body every gateway receives. */
  body: string;
  partner: Partner;
  /** What the same request returns when the subgraphs are asked directly (set by {@link withExpected}). */
  expected: unknown;
  /** The same data fetched from the subgraphs with no gateway, joined by hand. */
  direct: (subgraphs: Subgraphs, user: number) => Promise<unknown>;
}

/** A workload: which requests, in which proportions. */
export interface Scenario {
  /** Short name used by `--scenario`. */
  key: string;
  /** Row label in the table. */
  title: string;
  /** Whether the subgraphs run with their Redis lookup cache. */
  cached: boolean;
  /** Every partner whose headers the requests use. */
  partners: Partner[];
  /** The next request to send. */
  pick(): BenchRequest;
}

/** A request whose answer {@link withExpected} fills in. */
export function request(query: string, variables: Record<string, unknown>, partner: Partner, direct: BenchRequest['direct']): BenchRequest {
  return { body: JSON.stringify({ query, variables }), partner, expected: undefined, direct };
}

/** A request answered by one subgraph: the gateway's operation is a valid operation of that subgraph. */
export function singleSubgraph(subgraph: string, query: string, variables: Record<string, unknown>, partner: Partner): BenchRequest {
  return request(query, variables, partner, (subgraphs, user) => subgraphs.ask(subgraph, query, variables, partner, user));
}

/**
 * Asks the subgraphs directly for every request's answer, a few at a time, before any gateway is
 * measured: the answers every gateway must then give.
 */
export async function withExpected(requests: BenchRequest[], subgraphs: Subgraphs, concurrency = 8): Promise<BenchRequest[]> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const current = requests[next++]!;
        current.expected = await current.direct(subgraphs, 0);
      }
    }),
  );
  return requests;
}

/**
 * Zipf-distributed picks over `count` ranks (s = 1.1): a few keys take most lookups, as hot records
 * do. Returns a sampler of 0-based ranks.
 */
export function zipf(count: number, s = 1.1): () => number {
  const cumulative = new Float64Array(count);
  let sum = 0;
  for (let k = 0; k < count; k += 1) cumulative[k] = sum += 1 / (k + 1) ** s;
  return () => {
    const target = Math.random() * sum;
    let low = 0;
    let high = count - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

/** Picks among weighted alternatives. */
export function weighted<T>(choices: [number, () => T][]): () => T {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  return () => {
    let target = Math.random() * total;
    for (const [weight, choose] of choices) {
      if ((target -= weight) < 0) return choose();
    }
    return choices[choices.length - 1]![1]();
  };
}

/** Uniform pick. */
export const anyOf =
  <T>(items: readonly T[]) =>
  (): T =>
    items[Math.floor(Math.random() * items.length)]!;
