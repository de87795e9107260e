import { z } from 'zod';

const redisUrlSchema = z.string().refine((value) => /^rediss?:\/\//.test(value), 'must be a redis:// or rediss:// URL');
const clusterNodesSchema = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((node) => node.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be a comma-separated list of host:port')).min(1))
  .transform((nodes) =>
    nodes.map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) })),
  );

/** The Redis variables every Liaison service reads the same way (the gateway and each subgraph). */
export const redisEnv = {
  /** A single Redis, with its ACL user and password (`redis://user:password@host:6379`); `rediss://` for TLS. */
  REDIS_URL: redisUrlSchema.optional(),
  /** Redis Cluster seed nodes (`host:port,host:port`); used instead of REDIS_URL, the rest are discovered. */
  REDIS_CLUSTER_NODES: clusterNodesSchema.optional(),
  /** The ACL user and password on every cluster node (REDIS_URL carries its own). */
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  /** PEM file of the CA that signed Redis's TLS certificate (with a rediss:// REDIS_URL, or a cluster: then TLS on every node). */
  REDIS_CA_FILE: z.string().min(1).optional(),
};

/** Which Redis to talk to: one server by URL, or a cluster by seed nodes. */
export interface RedisTarget {
  url?: string | undefined;
  clusterNodes?: { host: string; port: number }[] | undefined;
  username?: string | undefined;
  password?: string | undefined;
  caFile?: string | undefined;
}

type RedisEnv = { [K in keyof typeof redisEnv]?: z.infer<(typeof redisEnv)[K]> };

/** The configured Redis, or undefined when neither REDIS_URL nor REDIS_CLUSTER_NODES is set. */
export function redisTargetOf(env: RedisEnv): RedisTarget | undefined {
  if (!env.REDIS_URL && !env.REDIS_CLUSTER_NODES) return undefined;
  return {
    url: env.REDIS_URL,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    username: env.REDIS_USERNAME,
    password: env.REDIS_PASSWORD,
    caFile: env.REDIS_CA_FILE,
  };
}
