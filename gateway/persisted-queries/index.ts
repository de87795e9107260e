import type { FeatureFactory } from '../feature.ts';
import { persistedQueries as store } from './persisted-queries.ts';

/** Automatic persisted queries, in Redis when the gateway has REDIS_URL (shared by every replica). */
export const persistedQueries: FeatureFactory = {
  name: 'persisted-queries',
  build({ config, log }) {
    const persisted = store(config.redis, log);
    return { apolloOptions: { persistedQueries: persisted.options }, close: persisted.close };
  },
};
