export { servedSupergraph } from './served-supergraph.ts';
export { SubgraphBreakers } from './subgraph-breakers.ts';
export { subgraphDataSource, subgraphPool } from './subgraph-data-source.ts';
export { delegationTargets, type SubgraphIdentities, subgraphIdentities } from './subgraph-identities.ts';
export { watchedSupergraph } from './supergraph-watcher.ts';
