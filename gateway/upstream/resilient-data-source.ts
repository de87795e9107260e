import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { CircuitBreaker } from '../../lib/resilience/index.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import type { GatewayMetrics } from '../observability/gateway-metrics.ts';
import { operationShape } from './operation-shape.ts';
import { classifyFailure, httpStatusOf, unavailableResponse } from './subgraph-failure.ts';

/** How one subgraph is called. */
export interface ResiliencePolicy {
  /** Budget of one subgraph fetch, retries included: past it the fetch is abandoned. */
  timeoutMs: number;
  /** How many times a read is sent again after a failure that served nothing; mutations never are. */
  retries: number;
  breaker: CircuitBreaker;
  metrics: GatewayMetrics;
  log: Logger;
}

/** First retry waits up to this long (full jitter), doubling per attempt up to {@link MAX_BACKOFF_MS}. */
const BASE_BACKOFF_MS = 25;
const MAX_BACKOFF_MS = 250;
const backoff = (attempt: number): number => Math.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));

const attemptSignal = new AsyncLocalStorage<AbortSignal>();

/** Makes `fetcher` honour the abort signal of the {@link ResilientDataSource} attempt it runs in. */
export function abortable(fetcher: Fetcher): Fetcher {
  return (url, init) => {
    const signal = attemptSignal.getStore();
    return fetcher(url, signal ? ({ ...init, signal } as typeof init) : init);
  };
}

type Options = GraphQLDataSourceProcessOptions<Record<string, unknown>>;
type Response = Awaited<ReturnType<GraphQLDataSource['process']>>;

/**
 * Calls one subgraph for the query planner with a time budget, retries for reads, and a circuit
 * breaker. A subgraph that is slow, down or failing never fails the whole response: the planner
 * gets a `SUBGRAPH_UNAVAILABLE` error naming it instead of data, the fields it serves come back null,
 * and the rest of the answer stands. The inner data source's fetcher must be {@link abortable}.
 */
export class ResilientDataSource implements GraphQLDataSource {
  constructor(
    private readonly name: string,
    private readonly inner: GraphQLDataSource,
    private readonly policy: ResiliencePolicy,
  ) {}

  async process(options: Options): Promise<Response> {
    if (!('incomingRequestContext' in options)) return this.inner.process(options);
    const { timeoutMs, retries, breaker, metrics, log } = this.policy;
    const started = performance.now();
    const deadline = started + timeoutMs;
    const shape = operationShape(options.request.query ?? '', options.document);
    // The subgraph operation decides, not the client's: an entity fetch completing a mutation's answer is a read.
    const { read } = shape;
    const unavailable = (failure: Parameters<typeof unavailableResponse>[1]) =>
      unavailableResponse(this.name, failure, { read, rootFields: shape.rootFields }, options.request.variables);
    try {
      for (let attempt = 0; ; attempt += 1) {
        if (!breaker.allow()) {
          metrics.subgraphFailure(this.name, 'circuit_open');
          return unavailable({ reason: 'circuit_open', detail: 'circuit open after repeated failures' });
        }
        metrics.subgraphAttempt(this.name);
        const { signal, settled } = attemptTimeout(Math.max(1, Math.ceil(deadline - performance.now())));
        try {
          const response = await attemptSignal.run(signal, () => untilAborted(this.inner.process(options), signal)).finally(settled);
          breaker.success();
          return response;
        } catch (error) {
          const failure = classifyFailure(error, signal.aborted, timeoutMs);
          if (!failure) {
            // An HTTP answer (a 4xx) shows the subgraph is up; an error of our own shows nothing.
            if (httpStatusOf(error) !== undefined) breaker.success();
            else breaker.abandon();
            throw error;
          }
          breaker.failure();
          metrics.subgraphFailure(this.name, failure.reason);
          const wait = backoff(attempt + 1);
          if (read && failure.retryable && attempt < retries && performance.now() + wait < deadline) {
            metrics.subgraphRetry(this.name);
            log.info(
              { subgraph: this.name, reason: failure.reason, detail: failure.operatorDetail ?? failure.detail, attempt: attempt + 1 },
              'subgraph read failed; retrying',
            );
            await sleep(wait);
            continue;
          }
          log.warn(
            { subgraph: this.name, reason: failure.reason, detail: failure.operatorDetail ?? failure.detail, attempts: attempt + 1, read },
            'subgraph unavailable; answering without it',
          );
          return unavailable(failure);
        }
      }
    } finally {
      metrics.subgraphFetch(this.name, (performance.now() - started) / 1000);
    }
  }
}

/**
 * One attempt's time budget: `signal` aborts with a TimeoutError after `ms`, and `settled` cancels the
 * timer once the attempt is over. Not AbortSignal.timeout, whose timer cannot be cancelled: every
 * attempt's would stay armed for the whole budget (10 s by default), ten thousand of them at 1,000 fetches/s.
 */
function attemptTimeout(ms: number): { signal: AbortSignal; settled: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  return { signal: controller.signal, settled: () => clearTimeout(timer) };
}

/** Settles with `promise`, or rejects once `signal` aborts, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
