import { readSupergraphConfig, SUPERGRAPH_YAML } from '../../lib/config/supergraph-config.ts';

/**
 * `<NAME>_PORT=0` for every subgraph `schema/supergraph.yaml` lists (or the one at `path`), so `npm start`
 * under test binds free ports and never a development port another run holds.
 */
export function subgraphPortsAtZero(path = SUPERGRAPH_YAML): Record<string, string> {
  return Object.fromEntries(readSupergraphConfig(path).map((entry) => [`${entry.envPrefix}_PORT`, '0']));
}
