import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { ROOT, SUPERGRAPH_YAML } from '../../lib/config/supergraph-config.ts';

/** Where a new subgraph is registered; every other consumer reads schema/supergraph.yaml. */
export interface Registration {
  name: string;
  agency: string;
  port: number;
}

/**
 * Adds the subgraph to schema/supergraph.yaml (which `npm start`, the gateway and the tests read), to
 * docker-compose.yml with its own database, and to the PostgreSQL init script. YAML comments survive.
 */
export function register({ name, agency, port }: Registration): void {
  const list = parseDocument(readFileSync(SUPERGRAPH_YAML, 'utf8'));
  (list.get('subgraphs') as YAMLSeq).add(
    list.createNode({ name, agency, url: `http://localhost:${port}/graphql`, schema: `subgraphs/${name}/schema.graphql` }),
  );
  writeFileSync(SUPERGRAPH_YAML, list.toString());

  const composePath = resolve(ROOT, 'docker-compose.yml');
  const compose = parseDocument(readFileSync(composePath, 'utf8'));
  const database = name.replaceAll('-', '_');
  const prefix = name.toUpperCase().replaceAll('-', '_');
  const services = compose.get('services') as YAMLMap;
  const template = (services.get('wanted-persons') as YAMLMap).clone() as YAMLMap;
  template.setIn(['command'], compose.createNode(['node', '--import', 'tsx', `subgraphs/${name}/index.ts`]));
  template.setIn(['environment', 'PORT'], String(port));
  template.setIn(['environment', 'DATABASE_URL'], `postgresql://postgres:liaison@postgres:5432/${database}`);
  template.setIn(
    ['healthcheck', 'test'],
    compose.createNode([
      'CMD',
      'node',
      '-e',
      `fetch('http://127.0.0.1:${port}/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
    ]),
  );
  services.set(name, template);
  compose.setIn(['services', 'gateway', 'environment', `${prefix}_URL`], `http://${name}:${port}/graphql`);
  compose.setIn(['services', 'gateway', 'depends_on', name], compose.createNode({ condition: 'service_healthy' }));
  writeFileSync(composePath, compose.toString());
  appendFileSync(resolve(ROOT, 'docker/postgres-init.sql'), `create database ${database};\n`);
}
