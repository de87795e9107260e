import { z } from 'zod';
import { parseEnv, postgresUrlSchema } from '../../lib/config/env.ts';

/** Configuration of the test suite itself. */
export const testConfig = parseEnv(
  z.object({
    /** Maintenance database on the PostgreSQL server the tests create their own databases on. */
    TEST_POSTGRES_URL: postgresUrlSchema.default('postgresql://postgres@127.0.0.1:5432/postgres'),
    /** Redis the tests use, under their own key prefixes. */
    TEST_REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  }),
);
