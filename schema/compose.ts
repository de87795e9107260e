import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT, readSupergraphConfig, SUPERGRAPH_GRAPHQL } from '../lib/config/supergraph-config.ts';
import { composeSupergraph } from './compose-supergraph.ts';

// `npm run compose` writes schema/supergraph.graphql; `npm run compose -- --check` only compares.
const check = process.argv.includes('--check');
const subgraphs = readSupergraphConfig();
const result = composeSupergraph(subgraphs);
const target = relative(ROOT, SUPERGRAPH_GRAPHQL);

if (!result.ok) {
  process.stderr.write(`Composition failed (${result.errors.length} error${result.errors.length === 1 ? '' : 's'}):\n`);
  for (const error of result.errors) process.stderr.write(`  - ${error}\n`);
  process.exit(1);
}

let committed: string | undefined;
try {
  committed = readFileSync(SUPERGRAPH_GRAPHQL, 'utf8');
} catch {
  committed = undefined;
}

if (check) {
  if (committed !== result.supergraphSdl) {
    process.stderr.write(
      `${target} is stale: it does not match the subgraphs listed in schema/supergraph.yaml. Run \`npm run compose\` and commit the result.\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${target} is up to date (${subgraphs.length} subgraphs).\n`);
} else {
  writeFileSync(SUPERGRAPH_GRAPHQL, result.supergraphSdl);
  process.stdout.write(
    `${committed === result.supergraphSdl ? 'Unchanged' : 'Wrote'} ${target} from ${subgraphs.map((s) => s.name).join(', ')}.\n`,
  );
}
