import { z } from 'zod';
import type { SubgraphEntry } from '../../lib/config/supergraph-config.ts';

const milliseconds = (max: number) => z.coerce.number().int().min(1).max(max);

/** Environment variables of subgraph timeouts, retries, breakers and shutdown, merged into the gateway's schema. */
export function resilienceEnv(subgraphs: readonly SubgraphEntry[]) {
  const timeouts = Object.fromEntries(subgraphs.map((subgraph) => [`${subgraph.envPrefix}_TIMEOUT_MS`, milliseconds(600_000).optional()]));
  return {
    /** Budget of one subgraph fetch, retries included, for subgraphs without `<NAME>_TIMEOUT_MS`. */
    SUBGRAPH_TIMEOUT_MS: milliseconds(600_000).default(10_000),
    /** Times a failed subgraph read is sent again (refused, reset, 502/503/504); mutations never are. */
    SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    /** Consecutive failed subgraph requests that open its circuit breaker. */
    SUBGRAPH_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
    /** How long an open breaker fails fast before one request probes the subgraph again. */
    SUBGRAPH_BREAKER_OPEN_MS: milliseconds(600_000).default(2_000),
    /** How long a stopping gateway lets in-flight requests finish before it closes their connections. */
    SHUTDOWN_TIMEOUT_MS: milliseconds(600_000).default(10_000),
    ...timeouts,
  };
}

/** How the gateway calls its subgraphs. */
export interface ResilienceConfig {
  /** Fetch budget per subgraph name (`<NAME>_TIMEOUT_MS`, else SUBGRAPH_TIMEOUT_MS). */
  timeoutMs: Record<string, number>;
  /** SUBGRAPH_TIMEOUT_MS, for a subgraph a reloaded supergraph adds. */
  defaultTimeoutMs: number;
  retries: number;
  breakerFailures: number;
  breakerOpenMs: number;
}

/** Reads the resilience settings out of the parsed gateway environment. */
export function resilienceConfigOf(env: Record<string, unknown>, subgraphs: readonly SubgraphEntry[]): ResilienceConfig {
  const fallback = env.SUBGRAPH_TIMEOUT_MS as number;
  return {
    timeoutMs: Object.fromEntries(
      subgraphs.map((subgraph) => [subgraph.name, (env[`${subgraph.envPrefix}_TIMEOUT_MS`] as number | undefined) ?? fallback]),
    ),
    defaultTimeoutMs: fallback,
    retries: env.SUBGRAPH_RETRIES as number,
    breakerFailures: env.SUBGRAPH_BREAKER_FAILURES as number,
    breakerOpenMs: env.SUBGRAPH_BREAKER_OPEN_MS as number,
  };
}
