import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { HIT_CONFIRMATIONS_SUBGRAPH, type HitRecordEntry, ROOT, SUPERGRAPH_YAML } from '../../lib/config/supergraph-config.ts';

/** Where a new subgraph is registered; every other consumer reads schema/supergraph.yaml. */
export interface Registration {
  name: string;
  agency: string;
  port: number;
  /** Its kind of record, for hit confirmation; absent when its id letter is another kind's already. */
  records?: HitRecordEntry;
}

/**
 * Adds the subgraph to schema/supergraph.yaml (which `npm start`, the gateway and the tests read), to
 * docker-compose.yml with its own database and Redis user, to the PostgreSQL init script and to the Redis
 * ACL file; with `records`, to hit-confirmations' `asks` too (and its URL to hit-confirmations' environment).
 * YAML comments survive.
 */
export function register({ name, agency, port, records }: Registration): void {
  const list = parseDocument(readFileSync(SUPERGRAPH_YAML, 'utf8'));
  const subgraphs = list.get('subgraphs') as YAMLSeq<YAMLMap>;
  const entry = { name, agency, url: `http://localhost:${port}/graphql`, schema: `subgraphs/${name}/schema.graphql` };
  subgraphs.add(list.createNode(records ? { ...entry, records: [records] } : entry));
  // Hits on its records go to hit-confirmations like the others': it asks the new owner about them.
  const asker = records && subgraphs.items.find((item) => item.get('name') === HIT_CONFIRMATIONS_SUBGRAPH);
  const asks = asker?.get('asks') as YAMLSeq | undefined;
  if (asks) asks.add(name);
  else asker?.set('asks', list.createNode([name], { flow: true }));
  writeFileSync(SUPERGRAPH_YAML, list.toString());

  const composePath = resolve(ROOT, 'docker-compose.yml');
  const compose = parseDocument(readFileSync(composePath, 'utf8'));
  const database = name.replaceAll('-', '_');
  const prefix = name.toUpperCase().replaceAll('-', '_');
  const services = compose.get('services') as YAMLMap;
  const template = (services.get('wanted-persons') as YAMLMap).clone() as YAMLMap;
  // The image runs the compiled build (Dockerfile), which `npm run build` makes of the new folder too.
  template.setIn(['command'], compose.createNode(['node', `dist/subgraphs/${name}/index.js`], { flow: true }));
  // The copy is of an owner that case-status snapshots; the new subgraph calls no other subgraph.
  for (const variable of Object.keys((template.get('environment') as YAMLMap).toJSON() as object)) {
    if (variable.endsWith('_URL') && !variable.endsWith('DATABASE_URL') && variable !== 'REDIS_URL')
      template.deleteIn(['environment', variable]);
  }
  template.setIn(['environment', 'PORT'], String(port));
  // Its own database, served as the role that may only append to the audit trail and migrated as its owner.
  for (const variable of ['DATABASE_URL', 'MIGRATION_DATABASE_URL']) {
    const url = new URL(String(template.getIn(['environment', variable])));
    url.pathname = `/${database}`;
    template.setIn(['environment', variable], url.toString());
  }
  template.setIn(['environment', 'REDIS_URL'], addRedisUser(name, String(template.getIn(['environment', 'REDIS_URL']))));
  template.setIn(
    ['healthcheck', 'test'],
    compose.createNode(
      ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))`],
      { flow: true },
    ),
  );
  services.set(name, template);
  compose.setIn(['services', 'gateway', 'environment', `${prefix}_URL`], `http://${name}:${port}/graphql`);
  if (records && services.has(HIT_CONFIRMATIONS_SUBGRAPH))
    compose.setIn(['services', HIT_CONFIRMATIONS_SUBGRAPH, 'environment', `${prefix}_URL`], `http://${name}:${port}/graphql`);
  compose.setIn(['services', 'gateway', 'depends_on', name], compose.createNode({ condition: 'service_healthy' }));
  // lineWidth 0: the YAML library would fold long strings at 80 columns, where the formatter keeps them whole.
  writeFileSync(composePath, compose.toString({ lineWidth: 0, flowCollectionPadding: false }));
  appendFileSync(
    resolve(ROOT, 'docker/postgres-init.sql'),
    `create database ${database};\nalter database ${database} owner to liaison_owner;\n`,
  );
}

/**
 * Appends to docker/redis-users.acl a user for the subgraph with the template's rights, confined to its own
 * keys, and returns `templateUrl` as that user (a demo password, like the others').
 */
function addRedisUser(name: string, templateUrl: string): string {
  const url = new URL(templateUrl);
  const template = url.username;
  url.username = name;
  url.password = `liaison-${name}-dev`;
  const aclPath = resolve(ROOT, 'docker/redis-users.acl');
  const rules = readFileSync(aclPath, 'utf8')
    .split('\n')
    .find((line) => line.startsWith(`user ${template} `))!
    .replace(/^user \S+ on #[0-9a-f]+/, `user ${name} on #${createHash('sha256').update(url.password).digest('hex')}`)
    .replaceAll(`liaison:${template}:`, `liaison:${name}:`);
  appendFileSync(aclPath, `${rules}\n`);
  return url.toString();
}
