import { composeServices } from '@apollo/composition';
import { parse, type GraphQLError } from 'graphql';
import type { SubgraphEntry } from '../lib/config/supergraph-config.ts';
import { readSubgraphSdl } from '../subgraphs/kit/server/type-defs.ts';

/** The outcome of composing: the supergraph SDL, or readable error lines. */
export type ComposeResult = { ok: true; supergraphSdl: string; hints: string[] } | { ok: false; errors: string[] };

/**
 * Composes the listed subgraphs with @apollo/composition, offline: each subgraph's SDL is read from
 * disk, never introspected from a running service.
 */
export function composeSupergraph(subgraphs: readonly SubgraphEntry[]): ComposeResult {
  const services = [];
  const errors: string[] = [];
  for (const subgraph of subgraphs) {
    try {
      services.push({ name: subgraph.name, url: subgraph.url, typeDefs: parse(readSubgraphSdl(subgraph.schemaPath)) });
    } catch (error) {
      errors.push(`${subgraph.name}: ${describe(error as GraphQLError)}`);
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const result = composeServices(services);
  if (result.errors) return { ok: false, errors: result.errors.map(describe) };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints: result.hints.map((hint) => hint.toString()) };
}

function describe(error: GraphQLError): string {
  const code = typeof error.extensions?.code === 'string' ? `[${error.extensions.code}] ` : '';
  const where = error.locations?.map((location) => `line ${location.line}:${location.column}`).join(', ');
  return `${code}${error.message}${where ? ` (${where})` : ''}`;
}
