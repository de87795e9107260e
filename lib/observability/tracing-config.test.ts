import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { tracingConfigOf, tracingEnv } from './tracing-config.ts';

const parse = (env: Record<string, string>) => tracingConfigOf(z.object(tracingEnv).parse(env), 'gateway');

describe('OTEL_* configuration', () => {
  it('is off without an endpoint, and when OTEL_SDK_DISABLED says so', () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeUndefined();
  });

  it('exports to <endpoint>/v1/traces, or to the traces endpoint when given, as liaison-<service> unless named', () => {
    expect(parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      url: 'http://collector:4318/v1/traces',
      headers: {},
      serviceName: 'liaison-gateway',
      ratio: 1,
    });
    expect(
      parse({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/v1/traces',
        OTEL_SERVICE_NAME: 'border-gateway',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
      }),
    ).toMatchObject({ url: 'https://traces.example/v1/traces', serviceName: 'border-gateway', ratio: 0.25 });
  });

  it('sends the collector its headers, and refuses ones it cannot read', () => {
    expect(
      parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=abc%3D,tenant=fr' })?.headers,
    ).toEqual({
      'api-key': 'abc=',
      tenant: 'fr',
    });
    expect(() => parse({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toThrow();
    expect(() => parse({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow();
  });
});
