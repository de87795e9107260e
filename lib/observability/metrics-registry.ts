import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ROOT } from '../config/supergraph-config.ts';

/** Latency buckets from 5 ms to 30 s, for every request and fetch histogram. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

let processMetrics: Registry | undefined;

/**
 * Node.js and process metrics (CPU, memory, event-loop lag, GC, handles), collected once per process:
 * they describe the process, and a test process runs several servers.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

const version = (): string => (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The registry of one service (the gateway, or one subgraph): its own series and `liaison_build_info`.
 * A process runs one service in production, so its `/metrics` is this registry and the process's.
 */
export function serviceRegistry(service: string): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'liaison_build_info',
    help: 'Always 1; the labels say what is running: the service, the Liaison version and the Node.js version.',
    labelNames: ['service', 'version', 'node'],
    registers: [registry],
  }).set({ service, version: version(), node: process.version }, 1);
  return registry;
}

/** The Prometheus text exposition of `registry` with the process's metrics. */
export function metricsText(registry: Registry): Promise<string> {
  return Registry.merge([processRegistry(), registry]).metrics();
}

/** The content type of {@link metricsText}. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;
