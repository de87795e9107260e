import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startOrExit } from '../lib/config/env.ts';
import {
  HIT_CONFIRMATIONS_SUBGRAPH,
  ROOT,
  readSupergraphConfig,
  SUPERGRAPH_GRAPHQL,
  SUPERGRAPH_YAML,
} from '../lib/config/supergraph-config.ts';
import { composeSupergraph } from '../schema/compose-supergraph.ts';
import { hitRecordsOf, scaffoldNames } from './scaffold/names.ts';
import { register } from './scaffold/register.ts';
import { registerKubernetes } from './scaffold/register-kubernetes.ts';
import { copyTemplate, writeFormatted } from './scaffold/copy-template.ts';
import { AGENCY_CODE } from '../lib/domain/index.ts';

// `npm run subgraph:new -- <name> --agency <ORI> --entity <Type>`: a new agency subgraph, wired and composed.
const USAGE =
  'Usage: npm run subgraph:new -- <name> --agency <ORI> --entity <Type>\n  e.g. npm run subgraph:new -- firearms-registry --agency FRPN00001 --entity RegisteredFirearm';

await startOrExit(async () => {
  const { values, positionals } = parseArgs({
    options: { agency: { type: 'string' }, entity: { type: 'string' } },
    allowPositionals: true,
  });
  const [name] = positionals;
  const problems = [
    !name || !/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name) ? '<name> must be lower-case kebab-case, e.g. firearms-registry' : '',
    !values.agency || !AGENCY_CODE.test(values.agency) ? '--agency must be a 9-character agency code, e.g. FRPN00001' : '',
    !values.entity || !/^[A-Z][A-Za-z0-9]{2,}$/.test(values.entity)
      ? '--entity must be a PascalCase type name, e.g. RegisteredFirearm'
      : '',
  ].filter(Boolean);
  const existing = readSupergraphConfig();
  if (name && existing.some((subgraph) => subgraph.name === name)) problems.push(`${name} is already in schema/supergraph.yaml`);
  if (name && existsSync(resolve(ROOT, 'subgraphs', name))) problems.push(`subgraphs/${name}/ already exists`);
  if (
    values.entity &&
    new RegExp(`^(type|interface|enum|input|union|scalar) ${values.entity}\\b`, 'm').test(readFileSync(SUPERGRAPH_GRAPHQL, 'utf8'))
  ) {
    problems.push(`--entity ${values.entity} is already a type in the supergraph`);
  }
  if (problems.length > 0) {
    process.stderr.write(`${problems.join('\n')}\n\n${USAGE}\n`);
    process.exit(2);
  }

  const names = scaffoldNames(name!, values.agency!, values.entity!);
  const folder = await copyTemplate(names);
  const port = Math.max(...existing.map((subgraph) => subgraph.port)) + 1;
  // Without a hit-confirmations subgraph there is no workflow to join.
  const records = existing.some((subgraph) => subgraph.name === HIT_CONFIRMATIONS_SUBGRAPH) ? hitRecordsOf(names, existing) : undefined;
  register({ name: names.subgraph, agency: names.agency, port, ...(records ? { records } : {}) });
  registerKubernetes({ name: names.subgraph, port, ...(records ? { askedBy: [HIT_CONFIRMATIONS_SUBGRAPH] } : {}) }, existing);
  // The YAML library keeps comments but not the formatter's line breaks.
  for (const edited of [SUPERGRAPH_YAML, resolve(ROOT, 'docker-compose.yml')]) await writeFormatted(edited);

  const composed = composeSupergraph(readSupergraphConfig());
  if (!composed.ok) throw new Error(`the new subgraph does not compose:\n  ${composed.errors.join('\n  ')}`);
  writeFileSync(SUPERGRAPH_GRAPHQL, composed.supergraphSdl);
  process.stdout.write(
    `Created ${relative(ROOT, folder)}/ (entity ${names.entity}, scopes ${names.readScope} and ${names.subgraph}:write, port ${port}),\n` +
      'registered it in schema/supergraph.yaml, docker-compose.yml, docker/postgres-init.sql and deploy/kubernetes/, and composed schema/supergraph.graphql.\n' +
      (records
        ? `Hits on its records go to ${HIT_CONFIRMATIONS_SUBGRAPH} (its asks: in schema/supergraph.yaml).\n`
        : `Its id letter ${names.letter} starts another kind's ids, so its records stay out of hit confirmation.\n`) +
      `Next: npx vitest run subgraphs/${names.subgraph}, then npm start.\n`,
  );
});
