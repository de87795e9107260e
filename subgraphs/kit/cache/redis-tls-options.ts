import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { ConfigError } from '../../../lib/config/env.ts';

/**
 * TLS with a private CA: the certificate is verified against it (never `rejectUnauthorized: false`).
 * A `rediss://` URL without a CA file verifies against the system's CAs, which ioredis does by itself.
 */
export function redisTlsOptions(options: {
  url?: string | undefined;
  clusterNodes?: unknown;
  caFile?: string | undefined;
}): Pick<RedisOptions, 'tls'> {
  if (!options.caFile) return {};
  if (!options.clusterNodes && !options.url?.startsWith('rediss://'))
    throw new ConfigError('Invalid configuration:\n  REDIS_CA_FILE: needs a rediss:// REDIS_URL (or REDIS_CLUSTER_NODES)');
  try {
    return { tls: { ca: readFileSync(options.caFile) } };
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  REDIS_CA_FILE: cannot read ${options.caFile} (${(error as Error).message})`);
  }
}
