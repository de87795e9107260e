/** Whether each subgraph answered its health check. */
export interface SubgraphHealth {
  healthy: boolean;
  subgraphs: Record<string, 'up' | 'down'>;
}

/** A subgraph's health endpoint sits beside its GraphQL endpoint. */
export const healthUrlOf = (graphqlUrl: string): string => new URL('/health', graphqlUrl).toString();

/** Asks every subgraph's `/health` in parallel, each with a short timeout. */
export async function checkSubgraphs(urls: Record<string, string>, timeoutMs = 2_000): Promise<SubgraphHealth> {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      try {
        const response = await fetch(healthUrlOf(url), { signal: AbortSignal.timeout(timeoutMs) });
        await response.body?.cancel();
        return [name, response.ok ? 'up' : 'down'] as const;
      } catch {
        return [name, 'down'] as const;
      }
    }),
  );
  const subgraphs = Object.fromEntries(entries);
  return { healthy: entries.every(([, state]) => state === 'up'), subgraphs };
}
