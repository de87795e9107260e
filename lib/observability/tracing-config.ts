import { z } from 'zod';

/**
 * The standard OpenTelemetry variables Liaison reads (a subset: traces over OTLP/HTTP only). Parsed
 * here like every other variable; the exporter is handed the values rather than reading them itself.
 */
export const tracingEnv = {
  /** `true` turns tracing off whatever else is set. */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  /** The collector's base URL (`/v1/traces` is appended); tracing is off while neither endpoint is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The traces endpoint in full, instead of the base URL. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** Headers sent to the collector, `key=value,key=value` (e.g. its API key). */
  OTEL_EXPORTER_OTLP_HEADERS: z
    .string()
    .regex(/^([^=,\s]+=[^,]*)(,[^=,\s]+=[^,]*)*$/, 'must be key=value pairs separated by commas')
    .optional(),
  /** The `service.name` of this process's spans; defaults to liaison-<service>. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** The fraction of new traces recorded (a partner's sampled `traceparent` is always followed). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
};

/** Where and how a process exports its spans; undefined when tracing is off. */
export interface TracingConfig {
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  ratio: number;
}

type TracingEnv = { [K in keyof typeof tracingEnv]?: z.infer<(typeof tracingEnv)[K]> };

export function tracingConfigOf(env: TracingEnv, service: string): TracingConfig | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/$/, '');
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base && `${base}/v1/traces`);
  if (!url) return undefined;
  const headers = Object.fromEntries(
    (env.OTEL_EXPORTER_OTLP_HEADERS ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), decodeURIComponent(pair.slice(pair.indexOf('=') + 1).trim())]),
  );
  return { url, headers, serviceName: env.OTEL_SERVICE_NAME ?? `liaison-${service}`, ratio: env.OTEL_TRACES_SAMPLER_ARG ?? 1 };
}
