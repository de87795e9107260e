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

describe('OPS_PORT and OPS_HOST', () => {
  it('default to port 9464 on the gateway’s HOST, and take their own values', () => {
    expect(loadGatewayConfig({}).operations).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadGatewayConfig({ HOST: '0.0.0.0' }).operations).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(loadGatewayConfig({ HOST: '0.0.0.0', OPS_PORT: '0', OPS_HOST: '10.0.0.5' }).operations).toEqual({ port: 0, host: '10.0.0.5' });
  });

  it.each([{ OPS_PORT: 'metrics' }, { OPS_PORT: '70000' }, { OPS_PORT: '4000' }, { PORT: '9464' }])(
    'stop start-up on %o, naming OPS_PORT',
    (env) => {
      expect(() => loadGatewayConfig(env)).toThrow(/OPS_PORT/);
    },
  );

  it('lets both ports be 0, each picking a free one', () => {
    expect(loadGatewayConfig({ PORT: '0', OPS_PORT: '0' })).toMatchObject({ port: 0, operations: { port: 0 } });
  });
});

describe('SUBGRAPH_CA_FILE and TLS to subgraphs in production', () => {
  const PRODUCTION = { NODE_ENV: 'production', AUTH_ISSUER: 'https://issuer.example' };

  it('takes the CA file, unset by default', () => {
    expect(loadGatewayConfig({}).subgraphCaFile).toBeUndefined();
    expect(loadGatewayConfig({ SUBGRAPH_CA_FILE: '/etc/liaison/subgraph-ca.pem' }).subgraphCaFile).toBe('/etc/liaison/subgraph-ca.pem');
  });

  it('stops a production gateway routed over http:// to another host, naming each such variable', () => {
    const env = {
      ...PRODUCTION,
      WANTED_PERSONS_URL: 'http://wanted-persons:4001/graphql',
      CASE_STATUS_URL: 'http://10.0.0.7:4003/graphql',
    };
    expect(() => loadGatewayConfig(env)).toThrow(/WANTED_PERSONS_URL: must be https:\/\/[\s\S]*CASE_STATUS_URL: must be https:\/\//);
    expect(() => loadGatewayConfig(env)).not.toThrow(/STOLEN_PROPERTY_URL/);
  });

  it.each([
    ['https:// URLs', { WANTED_PERSONS_URL: 'https://wanted-persons:4001/graphql' }],
    ['http:// on loopback (the defaults of schema/supergraph.yaml)', { WANTED_PERSONS_URL: 'http://127.0.0.1:4001/graphql' }],
    ['http:// to [::1]', { WANTED_PERSONS_URL: 'http://[::1]:4001/graphql' }],
    [
      'SUBGRAPH_ALLOW_HTTP=true (a mesh encrypts the link)',
      { WANTED_PERSONS_URL: 'http://wanted-persons:4001/graphql', SUBGRAPH_ALLOW_HTTP: 'true' },
    ],
  ])('accepts %s in production', (_, env) => {
    expect(loadGatewayConfig({ ...PRODUCTION, ...env }).production).toBe(true);
  });

  it('accepts http:// to another host outside production', () => {
    expect(loadGatewayConfig({ WANTED_PERSONS_URL: 'http://wanted-persons:4001/graphql' }).subgraphUrls['wanted-persons']).toBe(
      'http://wanted-persons:4001/graphql',
    );
  });

  it('stops start-up on a SUBGRAPH_ALLOW_HTTP other than true or false', () => {
    expect(() => loadGatewayConfig({ SUBGRAPH_ALLOW_HTTP: 'yes' })).toThrow(/SUBGRAPH_ALLOW_HTTP/);
  });
});
