import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, readSupergraphConfig } from '../lib/config/supergraph-config.ts';

// merge: the subgraph services share their common settings through a YAML merge key.
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const initSql = readFileSync(resolve(ROOT, 'docker/postgres-init.sql'), 'utf8');

describe('docker-compose.yml agrees with schema/supergraph.yaml', () => {
  for (const subgraph of readSupergraphConfig()) {
    it(`runs ${subgraph.name} on its own database and routes the gateway to it`, () => {
      const service = compose.services[subgraph.name];
      expect(service, `service ${subgraph.name}`).toBeDefined();
      expect(service.command).toEqual(['node', '--import', 'tsx', `subgraphs/${subgraph.name}/index.ts`]);
      const database = subgraph.name.replaceAll('-', '_');
      expect(service.environment.DATABASE_URL).toMatch(new RegExp(`@postgres:5432/${database}$`));
      expect(initSql).toContain(`create database ${database};`);
      expect(service.environment.REDIS_URL).toBe('redis://redis:6379');
      // One set of development keys for all services, or subgraphs would refuse the gateway's identity.
      expect(service.volumes).toEqual(compose.services.gateway.volumes);
      expect(service.environment.NODE_ENV).toBe(compose.services.gateway.environment.NODE_ENV);
      expect(service.healthcheck.test.join(' ')).toContain(`:${service.environment.PORT}/ready`);
      expect(compose.services.gateway.environment[`${subgraph.envPrefix}_URL`]).toBe(
        `http://${subgraph.name}:${service.environment.PORT}/graphql`,
      );
      expect(compose.services.gateway.depends_on[subgraph.name]).toEqual({ condition: 'service_healthy' });
    });
  }

  for (const keeper of readSupergraphConfig().filter((subgraph) => subgraph.snapshots.length > 0)) {
    it(`lets ${keeper.name} and the subgraphs whose records it snapshots call each other`, () => {
      const routes = compose.services.gateway.environment;
      for (const owner of readSupergraphConfig().filter((subgraph) => keeper.snapshots.includes(subgraph.name))) {
        expect(compose.services[keeper.name].environment[`${owner.envPrefix}_URL`]).toBe(routes[`${owner.envPrefix}_URL`]);
        expect(compose.services[owner.name].environment[`${keeper.envPrefix}_URL`]).toBe(routes[`${keeper.envPrefix}_URL`]);
      }
    });
  }
});
