import type { Dispatcher } from 'undici';
import type { CircuitBreaker } from '../../lib/resilience/index.ts';

/** A subgraph as readiness sees it: answering, not answering, or failed fast by its open breaker. */
export type SubgraphState = 'up' | 'down' | 'circuit_open';

/** Whether each subgraph is ready to serve. */
export interface SubgraphHealth {
  healthy: boolean;
  subgraphs: Record<string, SubgraphState>;
}

/** A subgraph's readiness endpoint sits beside its GraphQL endpoint. */
export const readyUrlOf = (graphqlUrl: string): string => new URL('/ready', graphqlUrl).toString();

/**
 * Asks every subgraph's `/ready` (it answers 200 while its database does) in parallel, each with a
 * short timeout. A subgraph whose breaker is open counts as `circuit_open`: the gateway is failing its
 * requests fast until the breaker's trial request finds it back. With `pool` (the gateway's subgraph
 * pool) the probe connects as the subgraph calls do, trusting the same CA (SUBGRAPH_CA_FILE).
 */
export async function checkSubgraphs(
  urls: Record<string, string>,
  breakers: ReadonlyMap<string, CircuitBreaker>,
  timeoutMs = 2_000,
  pool?: Dispatcher,
): Promise<SubgraphHealth> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]): Promise<[string, SubgraphState]> => {
      if (breakers.get(name)?.state === 'open') return [name, 'circuit_open'];
      try {
        const signal = AbortSignal.timeout(timeoutMs);
        if (pool) {
          const { origin, pathname } = new URL(readyUrlOf(url));
          const { statusCode, body } = await pool.request({ origin, path: pathname, method: 'GET', signal });
          await body.dump();
          return [name, statusCode >= 200 && statusCode < 300 ? 'up' : 'down'];
        }
        const response = await fetch(readyUrlOf(url), { signal });
        await response.body?.cancel();
        return [name, response.ok ? 'up' : 'down'];
      } catch {
        return [name, 'down'];
      }
    }),
  );
  return { healthy: entries.every(([, state]) => state === 'up'), subgraphs: Object.fromEntries(entries) };
}
