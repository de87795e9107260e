import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const COMMON_SDL = fileURLToPath(new URL('../common.graphql', import.meta.url));

/** A subgraph's full SDL: the kit's common types followed by the subgraph's own schema.graphql. */
export function readSubgraphSdl(schemaPath: string): string {
  return `${readFileSync(COMMON_SDL, 'utf8')}\n${readFileSync(schemaPath, 'utf8')}`;
}
