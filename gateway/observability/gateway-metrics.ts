import type { BreakerState, CircuitBreaker } from '../../lib/resilience/index.ts';
import type { SubgraphState } from '../upstream/subgraph-health.ts';
import { Counter, Gauge, Histogram, LATENCY_BUCKETS, MetricsRegistry } from '../../lib/observability/prometheus.ts';

/** How a GraphQL response turned out: `partial` has data and errors (e.g. a subgraph was down). */
export type Outcome = 'ok' | 'partial' | 'error';

/** Why a subgraph fetch failed, as counted and as reported in `extensions.reason`. */
export type SubgraphFailure = 'timeout' | 'unreachable' | 'bad_status' | 'bad_response' | 'circuit_open';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open'];

/** The gateway's Prometheus metrics, served at `/metrics` on its operational port (OPS_PORT). */
export class GatewayMetrics {
  private readonly registry = new MetricsRegistry();
  private readonly requests = this.registry.register(
    new Counter('liaison_gateway_requests_total', 'GraphQL requests answered, by HTTP status and outcome (ok, partial, error).'),
  );
  private readonly duration = this.registry.register(
    new Histogram('liaison_gateway_request_duration_seconds', 'Time to answer a GraphQL request, by outcome.', LATENCY_BUCKETS),
  );
  private readonly fetches = this.registry.register(
    new Counter('liaison_gateway_subgraph_requests_total', 'Requests sent to a subgraph, retries included.'),
  );
  private readonly fetchDuration = this.registry.register(
    new Histogram('liaison_gateway_subgraph_duration_seconds', 'Time a subgraph fetch took, retries included.', LATENCY_BUCKETS),
  );
  private readonly failures = this.registry.register(
    new Counter(
      'liaison_gateway_subgraph_errors_total',
      'Subgraph requests that failed, by reason (timeout, unreachable, bad_status, bad_response, circuit_open).',
    ),
  );
  private readonly retries = this.registry.register(
    new Counter('liaison_gateway_subgraph_retries_total', 'Subgraph reads sent again after a failure.'),
  );

  /** Each subgraph's state as the last `/ready` found it. */
  private lastStates: Record<string, SubgraphState> = {};

  constructor(breakers: () => ReadonlyMap<string, CircuitBreaker>) {
    this.registry.register(
      new Gauge(
        'liaison_gateway_subgraph_up',
        "1 when the subgraph answered its own /ready at the gateway's last /ready (with its breaker not open), else 0.",
        () => Object.entries(this.lastStates).map(([subgraph, state]) => ({ labels: { subgraph }, value: state === 'up' ? 1 : 0 })),
      ),
    );
    this.registry.register(
      new Gauge(
        'liaison_gateway_subgraph_breaker_state',
        "1 for each subgraph's current circuit breaker state (closed, open, half_open), 0 for the others.",
        () =>
          [...breakers()].flatMap(([subgraph, breaker]) =>
            BREAKER_STATES.map((state) => ({ labels: { subgraph, state }, value: breaker.state === state ? 1 : 0 })),
          ),
      ),
    );
  }

  request(status: number, outcome: Outcome, seconds: number): void {
    this.requests.inc({ status: String(status), outcome });
    this.duration.observe({ outcome }, seconds);
  }

  subgraphAttempt(subgraph: string): void {
    this.fetches.inc({ subgraph });
  }

  subgraphFetch(subgraph: string, seconds: number): void {
    this.fetchDuration.observe({ subgraph }, seconds);
  }

  subgraphFailure(subgraph: string, reason: SubgraphFailure): void {
    this.failures.inc({ subgraph, reason });
  }

  subgraphRetry(subgraph: string): void {
    this.retries.inc({ subgraph });
  }

  /** Remembers what `/ready` found: probes run as often as the platform asks, so the gauge stays fresh without probing of its own. */
  subgraphStates(states: Record<string, SubgraphState>): void {
    this.lastStates = states;
  }

  exposition(): string {
    return this.registry.exposition();
  }
}
