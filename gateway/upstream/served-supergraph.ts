import type { ApolloGateway } from '@apollo/gateway';
import { Kind, parse, type ValueNode } from 'graphql';

/** The supergraph the gateway serves now, as readiness reports it. */
export interface ServedSupergraph {
  /** A supergraph has been loaded and is being served. */
  loaded(): boolean;
  /** Name and routing URL of each subgraph of the served supergraph, as its fetches are routed. */
  subgraphUrls(): Record<string, string>;
}

/**
 * Follows the supergraph `gateway` actually serves, the one loaded at start and each one a reload
 * brings, rather than schema/supergraph.yaml: a deployment may serve another file (SUPERGRAPH_PATH,
 * a ConfigMap), with subgraphs the list does not name or without some it does. Each subgraph is
 * routed as the data source routes it: its `<NAME>_URL` (or list URL) when configured, else the URL
 * the supergraph gives it.
 */
export function servedSupergraph(gateway: ApolloGateway, configuredUrls: Record<string, string>): ServedSupergraph {
  let urls: Record<string, string> | undefined;
  gateway.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
    urls = Object.fromEntries(Object.entries(subgraphsOf(coreSupergraphSdl)).map(([name, url]) => [name, configuredUrls[name] ?? url]));
  });
  return { loaded: () => urls !== undefined, subgraphUrls: () => urls ?? {} };
}

/** The `enum join__Graph { X @join__graph(name: "…", url: "…") }` of a supergraph SDL, as name → URL. */
export function subgraphsOf(supergraphSdl: string): Record<string, string> {
  const subgraphs: Record<string, string> = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const argument = (name: string) => stringOf(graph?.arguments?.find((arg) => arg.name.value === name)?.value);
      const name = argument('name');
      if (name !== undefined) subgraphs[name] = argument('url') ?? '';
    }
  }
  return subgraphs;
}

const stringOf = (value: ValueNode | undefined): string | undefined => (value?.kind === Kind.STRING ? value.value : undefined);
