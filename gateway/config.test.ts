import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './config.ts';

describe('AUTH_MAX_TOKEN_LIFETIME_SECONDS', () => {
  it('defaults to a day and takes a number of seconds', () => {
    expect(loadGatewayConfig({}).auth.maxTokenLifetimeSeconds).toBe(86_400);
    expect(loadGatewayConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).auth.maxTokenLifetimeSeconds).toBe(3600);
  });

  it.each(['0', '-1', 'a day', '2592001'])('stops start-up on %s, naming the variable', (value) => {
    expect(() => loadGatewayConfig({ AUTH_MAX_TOKEN_LIFETIME_SECONDS: value })).toThrow(/AUTH_MAX_TOKEN_LIFETIME_SECONDS/);
  });
});
