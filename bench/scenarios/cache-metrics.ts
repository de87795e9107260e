/** Lookup-cache hits and misses of every subgraph and entity, read from the subgraphs' /metrics. */
export async function cacheCounts(urls: Record<string, string>): Promise<{ hits: number; misses: number }> {
  let hits = 0;
  let misses = 0;
  for (const url of Object.values(urls)) {
    const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
    for (const line of text.split('\n')) {
      const value = Number(line.split(' ').pop());
      if (line.startsWith('liaison_cache_hits_total{')) hits += value;
      if (line.startsWith('liaison_cache_misses_total{')) misses += value;
    }
  }
  return { hits, misses };
}
