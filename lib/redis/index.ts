export { openRedis, type RedisClient, redisTlsOptions } from './open-redis.ts';
export { redisEnv, type RedisTarget, redisTargetOf } from './redis-env.ts';
