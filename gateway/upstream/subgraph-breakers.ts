import { CircuitBreaker } from '../../lib/resilience/index.ts';
import type { Logger } from '../../lib/observability/logger.ts';

/** Options of {@link SubgraphBreakers}. */
export interface SubgraphBreakerOptions {
  /** Consecutive failed requests that open a subgraph's breaker. */
  failureThreshold: number;
  /** How long an open breaker fails fast before one trial request probes the subgraph. */
  openMs: number;
}

/**
 * One circuit breaker per subgraph, kept for the gateway's lifetime: a supergraph reload builds new
 * data sources, and they must find the breakers as the traffic left them.
 */
export class SubgraphBreakers {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: SubgraphBreakerOptions,
    private readonly log: Logger,
  ) {}

  for(subgraph: string): CircuitBreaker {
    let breaker = this.breakers.get(subgraph);
    if (!breaker) {
      breaker = new CircuitBreaker({
        ...this.options,
        onChange: (state, previous) => {
          if (state === 'open' && previous === 'closed')
            this.log.warn({ subgraph, openMs: this.options.openMs }, 'subgraph circuit opened: failing fast');
          else if (state === 'closed') this.log.info({ subgraph }, 'subgraph circuit closed: the subgraph answers again');
        },
      });
      this.breakers.set(subgraph, breaker);
    }
    return breaker;
  }

  all(): ReadonlyMap<string, CircuitBreaker> {
    return this.breakers;
  }
}
