export { GatewayMetrics } from './gateway-metrics.ts';
export { operationsEndpoints, probeEndpoints } from './operations-endpoints.ts';
export { observerPlugin, recordOf, requestObserver, type RequestRecord } from './request-observer.ts';
