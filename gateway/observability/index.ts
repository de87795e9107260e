export { GatewayMetrics } from './gateway-metrics.ts';
export { operationsEndpoints } from './operations-endpoints.ts';
export { observerPlugin, recordOf, requestObserver, type RequestRecord } from './request-observer.ts';
