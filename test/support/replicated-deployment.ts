import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSupergraphConfig } from '../../lib/config/supergraph-config.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';
import { deleteKeys, uniquePrefix } from './redis-keys.ts';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.ts';
import { type ServiceProcess, startServiceProcess } from './service-process.ts';
import { testConfig } from './test-config.ts';

/** One process of a service; {@link ReplicatedDeployment.restart} replaces it by a successor on its port. */
export interface Replica {
  /** e.g. `gateway#1`, `wanted-persons#2`. */
  readonly label: string;
  process: ServiceProcess;
}

/** The gateway and every subgraph as their own processes, each service behind one balancer. */
export interface ReplicatedDeployment {
  /** What partners reach: every gateway replica, in turn. */
  gateway: RoundRobinProxy;
  /** Each subgraph's address, as the gateways and the other subgraphs reach it. */
  subgraphs: Record<string, RoundRobinProxy>;
  /** Gateway replicas, in order: a test may reach one directly. */
  gateways: Replica[];
  /** Subgraph replicas by subgraph name, in the order of their balancer's backends. */
  subgraphReplicas: Record<string, Replica[]>;
  /** The Redis key prefix every service of this deployment uses. */
  prefix: string;
  /**
   * As a rolling update: the replica's balancer stops sending it new requests, a moment later (as a
   * preStop hook waits) SIGTERM (the replica drains), then, once it is gone, a successor on the same
   * port, back in the balancer before it listens (so refused connections are sent on); resolves with
   * the predecessor (its exit code and output) once the successor listens and its `/ready` says so.
   */
  restart(replica: Replica): Promise<ServiceProcess>;
  close(): Promise<void>;
}

/** How many replicas of what. */
export interface DeploymentOptions {
  gatewayReplicas: number;
  /** Replicas per subgraph; 1 for those not named. */
  subgraphReplicas: Record<string, number>;
  /** Extra gateway environment, e.g. rate limits. */
  gatewayEnv: Record<string, string>;
}

const READY_WITHIN_MS = 10_000;
/** Long enough for connections the balancer opened to the replica to bring their requests. */
const PRE_STOP_MS = 200;

/**
 * Starts every subgraph of schema/supergraph.yaml (each replica its own process, one PostgreSQL
 * database per subgraph that its replicas share, the lookup cache in Redis) and the gateway
 * replicas, all on 127.0.0.1 under one fresh Redis key prefix. Close it in afterAll: it kills every
 * process, drops the databases and deletes the keys, even after a failed start.
 */
export async function startReplicatedDeployment(options: DeploymentOptions): Promise<ReplicatedDeployment> {
  const entries = readSupergraphConfig();
  const prefix = uniquePrefix();
  const checkpoints = mkdtempSync(join(tmpdir(), 'liaison-scale-out-'));
  const started: ServiceProcess[] = [];
  const proxies: RoundRobinProxy[] = [];
  const databases: TestDatabase[] = [];
  const envOf = new Map<Replica, { entry: string; env: Record<string, string>; balancer: RoundRobinProxy }>();

  const close = async () => {
    await Promise.all(started.map((process) => process.stop('SIGKILL')));
    await Promise.all(proxies.map((proxy) => proxy.close()));
    await Promise.all(databases.map((database) => database.drop()));
    await deleteKeys(prefix);
    rmSync(checkpoints, { recursive: true, force: true });
  };
  const launch = async (entry: string, env: Record<string, string>, port = 0) => {
    const process = await startServiceProcess(entry, { LOG_LEVEL: 'warn', ...env }, port);
    started.push(process);
    const ready = process.operations ? `${process.operations}/ready` : process.url.replace(/\/graphql$/, '/ready');
    await untilReady(ready);
    return process;
  };
  const replicaOf = async (label: string, entry: string, env: Record<string, string>, balancer: RoundRobinProxy) => {
    const replica: Replica = { label, process: await launch(entry, env) };
    envOf.set(replica, { entry, env, balancer });
    return replica;
  };

  try {
    const subgraphs = Object.fromEntries(
      await Promise.all(entries.map(async (entry) => [entry.name, await startRoundRobinProxy()] as const)),
    );
    const gateway = await startRoundRobinProxy();
    proxies.push(gateway, ...Object.values(subgraphs));
    const routing = Object.fromEntries(entries.map((entry) => [`${entry.envPrefix}_URL`, `${subgraphs[entry.name]!.origin}/graphql`]));
    const redis = { REDIS_URL: testConfig.TEST_REDIS_URL, CACHE_KEY_PREFIX: prefix };

    const subgraphReplicas = Object.fromEntries(
      await Promise.all(
        entries.map(async (entry) => {
          const database = await createTestDatabase(`scale_${entry.name}`);
          databases.push(database);
          const count = options.subgraphReplicas[entry.name] ?? 1;
          // Replicas of one subgraph may start together: a database lock serializes their migrations and seed.
          const replicas = await Promise.all(
            Array.from({ length: count }, (_, i) =>
              replicaOf(
                `${entry.name}#${i + 1}`,
                entry.entryPath,
                {
                  ...routing,
                  ...redis,
                  DATABASE_URL: database.url,
                  AUDIT_CHECKPOINT_FILE: join(checkpoints, `${entry.name}-${i + 1}.jsonl`),
                },
                subgraphs[entry.name]!,
              ),
            ),
          );
          subgraphs[entry.name]!.setBackends(replicas.map((replica) => replica.process.port));
          return [entry.name, replicas] as const;
        }),
      ),
    );
    const gateways = await Promise.all(
      Array.from({ length: options.gatewayReplicas }, (_, i) =>
        replicaOf(`gateway#${i + 1}`, 'gateway/index.ts', { ...routing, ...redis, ...options.gatewayEnv }, gateway),
      ),
    );
    gateway.setBackends(gateways.map((replica) => replica.process.port));

    return {
      gateway,
      subgraphs,
      gateways,
      subgraphReplicas,
      prefix,
      async restart(replica) {
        const { entry, env, balancer } = envOf.get(replica)!;
        const predecessor = replica.process;
        balancer.withhold(predecessor.port, true);
        await new Promise((resolve) => setTimeout(resolve, PRE_STOP_MS));
        await predecessor.stop('SIGTERM');
        balancer.withhold(predecessor.port, false);
        replica.process = await launch(entry, env, predecessor.port);
        return predecessor;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Polls `url` until it answers 200, as a readiness probe does. */
async function untilReady(url: string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${READY_WITHIN_MS} ms (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
