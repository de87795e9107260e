import { describe, expect, it } from 'vitest';
import { readSupergraphConfig } from '../../../lib/config/supergraph-config.ts';
import { ConfigError, parseEnv } from '../../../lib/config/env.ts';
import { loadSubgraphUrls, subgraphConfigSchema } from './subgraph-config.ts';

const load = (env: Record<string, string>) => parseEnv(subgraphConfigSchema(4001), env);

describe('TLS_CERT_FILE and TLS_KEY_FILE', () => {
  it('are both set or neither', () => {
    expect(load({}).TLS_CERT_FILE).toBeUndefined();
    expect(load({}).TLS_KEY_FILE).toBeUndefined();
    expect(load({ TLS_CERT_FILE: 'server.crt', TLS_KEY_FILE: 'server.key' })).toMatchObject({
      TLS_CERT_FILE: 'server.crt',
      TLS_KEY_FILE: 'server.key',
    });
  });

  it.each([
    [{ TLS_CERT_FILE: 'server.crt' }, /TLS_KEY_FILE: required with TLS_CERT_FILE/],
    [{ TLS_KEY_FILE: 'server.key' }, /TLS_CERT_FILE: required with TLS_KEY_FILE/],
  ])('stop start-up when only one is set (%o), naming the missing one', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});

describe('plain HTTP in production', () => {
  const PRODUCTION = { NODE_ENV: 'production' };

  it('refuses to serve plain HTTP beyond loopback, naming TLS_CERT_FILE', () => {
    expect(() => load({ ...PRODUCTION, HOST: '0.0.0.0' })).toThrow(/TLS_CERT_FILE: required with a HOST other than loopback/);
    expect(() => load({ ...PRODUCTION, HOST: '10.0.0.7' })).toThrow(/TLS_CERT_FILE/);
  });

  it.each([
    ['loopback', { HOST: '127.0.0.1' }],
    ['TLS', { HOST: '0.0.0.0', TLS_CERT_FILE: 'server.crt', TLS_KEY_FILE: 'server.key' }],
    ['SUBGRAPH_ALLOW_HTTP=true', { HOST: '0.0.0.0', SUBGRAPH_ALLOW_HTTP: 'true' }],
  ])('serves with %s', (_, env) => {
    expect(load({ ...PRODUCTION, ...env }).NODE_ENV).toBe('production');
  });

  it('serves plain HTTP anywhere outside production', () => {
    expect(load({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  const subgraphs = readSupergraphConfig();
  it('refuses http:// URLs of other subgraphs off this machine, naming each', () => {
    expect(() => loadSubgraphUrls(subgraphs, { ...PRODUCTION, WANTED_PERSONS_URL: 'http://wanted-persons:4001/graphql' })).toThrow(
      /WANTED_PERSONS_URL: must be https:\/\//,
    );
  });

  it.each([
    { WANTED_PERSONS_URL: 'https://wanted-persons:4001/graphql' },
    { WANTED_PERSONS_URL: 'http://localhost:4001/graphql' },
    { WANTED_PERSONS_URL: 'http://wanted-persons:4001/graphql', SUBGRAPH_ALLOW_HTTP: 'true' },
  ])('accepts %o', (env) => {
    expect(loadSubgraphUrls(subgraphs, { ...PRODUCTION, ...env })['wanted-persons']).toBe(env.WANTED_PERSONS_URL);
  });

  it('accepts http:// URLs of other subgraphs outside production', () => {
    expect(loadSubgraphUrls(subgraphs, { WANTED_PERSONS_URL: 'http://wanted-persons:4001/graphql' })['wanted-persons']).toBe(
      'http://wanted-persons:4001/graphql',
    );
  });
});
