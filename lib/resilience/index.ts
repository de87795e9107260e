export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
