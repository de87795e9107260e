import { z } from 'zod';
import { parseEnv, portSchema } from '../lib/env.ts';
import { readSupergraphConfig, SUPERGRAPH_GRAPHQL, type SubgraphEntry } from '../lib/supergraph-config.ts';

const urlSchema = z.url({ protocol: /^https?$/ });

function gatewayEnvSchema(subgraphs: readonly SubgraphEntry[]) {
  const routingOverrides = Object.fromEntries(subgraphs.map((subgraph) => [`${subgraph.envPrefix}_URL`, urlSchema.optional()]));
  return z.object({
    /** Port the gateway listens on; 0 picks a free one. */
    PORT: portSchema.default(4000),
    /** Interface to bind. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** development or production; production refuses development conveniences. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Composed supergraph the gateway serves. */
    SUPERGRAPH_PATH: z.string().min(1).default(SUPERGRAPH_GRAPHQL),
    /** Largest accepted request body in bytes. */
    MAX_BODY_BYTES: z.coerce.number().int().min(1_000).max(50_000_000).default(1_000_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ...routingOverrides,
  });
}

/** The gateway's typed configuration. */
export interface GatewayConfig {
  port: number;
  host: string;
  production: boolean;
  supergraphPath: string;
  maxBodyBytes: number;
  logLevel: string;
  /** Routing URL per subgraph name: `<NAME>_URL` when set, else the URL in schema/supergraph.yaml. */
  subgraphUrls: Record<string, string>;
}

/** Parses the gateway's environment once, at start-up. */
export function loadGatewayConfig(source?: NodeJS.ProcessEnv): GatewayConfig {
  const subgraphs = readSupergraphConfig();
  const env = parseEnv(gatewayEnvSchema(subgraphs), source) as Record<string, unknown> & z.infer<ReturnType<typeof gatewayEnvSchema>>;
  return {
    port: env.PORT,
    host: env.HOST,
    production: env.NODE_ENV === 'production',
    supergraphPath: env.SUPERGRAPH_PATH,
    maxBodyBytes: env.MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, (env[`${subgraph.envPrefix}_URL`] as string | undefined) ?? subgraph.url])),
  };
}
