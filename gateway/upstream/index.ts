export { SubgraphBreakers } from './subgraph-breakers.ts';
export { subgraphDataSource } from './subgraph-data-source.ts';
export { watchedSupergraph } from './supergraph-watcher.ts';
