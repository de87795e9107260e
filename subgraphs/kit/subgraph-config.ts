import { z } from 'zod';
import { parseEnv, portSchema, postgresUrlSchema } from '../../lib/env.ts';
import { seedSizeSchema } from './seed-plan.ts';

/** Environment of one subgraph process. `npm start` and docker-compose set these per subgraph. */
export function subgraphConfigSchema(defaultPort: number) {
  return z.object({
    /** Port to listen on; 0 picks a free one. */
    PORT: portSchema.default(defaultPort),
    /** Interface to bind; 127.0.0.1 keeps a development subgraph off the network. */
    HOST: z.string().min(1).default('127.0.0.1'),
    /** PostgreSQL URL; without it the subgraph runs on embedded PGlite. */
    DATABASE_URL: postgresUrlSchema.optional(),
    /** Folder that keeps PGlite's data across restarts; without it PGlite runs in memory. */
    PGLITE_DATA_DIR: z.string().min(1).optional(),
    /** Demo data seeded into an empty database. */
    SEED: seedSizeSchema.default('demo'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** development or production; production refuses development keys. */
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** The gateway's public keys as a JWKS file; without it (development only) the local development key. */
    IDENTITY_JWKS_FILE: z.string().min(1).optional(),
  });
}

export type SubgraphConfig = z.infer<ReturnType<typeof subgraphConfigSchema>>;

/** Reads the subgraph process's configuration from its environment. */
export const loadSubgraphConfig = (defaultPort: number): SubgraphConfig => parseEnv(subgraphConfigSchema(defaultPort));
