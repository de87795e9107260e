import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { posix, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadGatewayConfig } from '../gateway/config.ts';
import { SUBGRAPH_NODE_OPTIONS } from '../lib/config/node-options.ts';
import { ROOT, readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { DEV_KEYS_DIR } from '../lib/identity/dev-keys.ts';

// merge: the subgraph services share their common settings through a YAML merge key.
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8');
/** Where the image puts `npm run build`'s output: the compiled code's ROOT. */
const imageRoot = posix.join([...dockerfile.matchAll(/^WORKDIR (\S+)$/gm)].at(-1)![1]!, 'dist');
/** The command that runs `source` (an entry point's TypeScript) in the image: its compiled form on plain node. */
const compiled = (source: string) => ['node', posix.join('dist', relative(ROOT, source)).replace(/\.ts$/, '.js')];
const initSql = readFileSync(resolve(ROOT, 'docker/postgres-init.sql'), 'utf8');
/** docker/redis-users.acl: each user's rules by name. */
const aclUsers = new Map(
  readFileSync(resolve(ROOT, 'docker/redis-users.acl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '))
    .map(([, name, ...rules]) => [name!, rules]),
);

describe('docker-compose.yml runs the gateway', () => {
  it('compiled, as the image does by default, with the development keys where the compiled code looks', () => {
    const gateway = compose.services.gateway;
    const entry = resolve(ROOT, 'gateway/index.ts');
    expect(existsSync(entry)).toBe(true);
    expect(gateway.command).toEqual(compiled(entry));
    expect(JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!)).toEqual(gateway.command);
    expect(gateway.volumes).toContain(`dev-keys:${posix.join(imageRoot, relative(ROOT, DEV_KEYS_DIR))}`);
  });

  it('with its operational port apart, published on the host’s loopback only, and checks readiness there', () => {
    const gateway = compose.services.gateway;
    const config = loadGatewayConfig(gateway.environment);
    expect(config.operations.port).not.toBe(config.port);
    expect(gateway.ports).toEqual([`${config.port}:${config.port}`, `127.0.0.1:${config.operations.port}:${config.operations.port}`]);
    expect(gateway.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${config.operations.port}/ready`);
  });
});

describe('docker-compose.yml agrees with schema/supergraph.yaml', () => {
  for (const subgraph of readSupergraphConfig()) {
    it(`runs ${subgraph.name} on its own database and routes the gateway to it`, () => {
      const service = compose.services[subgraph.name];
      expect(service, `service ${subgraph.name}`).toBeDefined();
      expect(existsSync(subgraph.entryPath), subgraph.entryPath).toBe(true);
      expect(service.command).toEqual(compiled(subgraph.entryPath));
      expect(service.environment.NODE_OPTIONS).toBe(SUBGRAPH_NODE_OPTIONS);
      const database = subgraph.name.replaceAll('-', '_');
      expect(service.environment.DATABASE_URL).toMatch(new RegExp(`@postgres:5432/${database}$`));
      expect(initSql).toContain(`create database ${database};`);
      // Its own ACL user, confined to its own keys (test/redis-acl.test.ts runs the file).
      const redisUrl = new URL(service.environment.REDIS_URL);
      expect(`${redisUrl.protocol}//${redisUrl.host}`).toBe('redis://redis:6379');
      expect(redisUrl.username).toBe(subgraph.name);
      const user = aclUsers.get(subgraph.name);
      expect(user, `ACL user ${subgraph.name}`).toBeDefined();
      expect(user!.filter((rule) => /^[~%&]/.test(rule))).toEqual([`~liaison:${subgraph.name}:*`]);
      expect(user).toContain(`#${createHash('sha256').update(decodeURIComponent(redisUrl.password)).digest('hex')}`);
      // One set of development keys for all services, or subgraphs would refuse the gateway's identity.
      expect(service.volumes).toEqual(expect.arrayContaining(compose.services.gateway.volumes));
      // Audit checkpoints on a volume of their own, where the subgraph writes them by default.
      expect(service.volumes).toContain(`audit-checkpoints:${imageRoot}/.data/audit`);
      // It serves as a role that may only append to the audit trail, and migrates as the owner.
      const serving = new URL(service.environment.DATABASE_URL);
      const migrating = new URL(service.environment.MIGRATION_DATABASE_URL);
      expect([serving.username, migrating.username]).toEqual(['liaison_app', 'liaison_owner']);
      expect(migrating.pathname).toBe(serving.pathname);
      expect(initSql).toContain(`create role liaison_app login password '${serving.password}';`);
      expect(initSql).toContain(`create role liaison_owner login password '${migrating.password}';`);
      expect(initSql).toContain(`alter database ${database} owner to liaison_owner;`);
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
