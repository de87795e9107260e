import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { accepts, freePort } from './private-redis.ts';

const run = promisify(execFile);

/** A Redis Cluster of the test's own on loopback: three masters, each with a replica. */
export interface RedisCluster {
  /** Seed nodes as REDIS_CLUSTER_NODES takes them. */
  nodes: string;
  ports: number[];
  /** Ports of the nodes that are masters now. */
  masters(): Promise<number[]>;
  /** Keys stored on the node at `port`. */
  keysOn(port: number): Promise<number>;
  /** SIGKILLs the node at `port`; its replica takes over after the node timeout. */
  kill(port: number): Promise<void>;
  /** Resolves once every slot is served again (cluster_state:ok on every live node), within `ms`. */
  healthy(ms?: number): Promise<void>;
  close(): Promise<void>;
}

const cli = async (port: number, ...args: string[]) =>
  (await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 })).stdout;

/**
 * Starts six `redis-server` processes in cluster mode (node timeout 1 s, no persistence) on free ports
 * and joins them with `redis-cli --cluster create`, in a directory of its own that close() removes.
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-redis-cluster-'));
  const ports: number[] = [];
  for (let i = 0; i < 6; i++) ports.push(await freePort());
  const children = new Map<number, ChildProcess>();
  for (const port of ports) {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes'];
    args.push('--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '1000', '--save', '', '--appendonly', 'no');
    children.set(port, spawn('redis-server', args, { cwd: dir, stdio: 'ignore' }));
  }
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    while (!(await accepts(port))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not accept connections on ${port} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'], {
    timeout: 30_000,
  });
  const live = () => ports.filter((port) => children.get(port)?.exitCode === null && children.get(port)?.signalCode === null);
  const cluster: RedisCluster = {
    nodes: ports.map((port) => `127.0.0.1:${port}`).join(','),
    ports,
    async masters() {
      const lines = (await cli(live()[0]!, 'cluster', 'nodes')).trim().split('\n');
      // `<id> <host:port@bus> <flags> …`, flags such as `myself,master` or `master,fail`.
      return lines
        .map((line) => line.split(' '))
        .filter(([, , flags]) => flags!.split(',').includes('master') && !/fail/.test(flags!))
        .map(([, address]) => Number(address!.split('@')[0]!.split(':')[1]));
    },
    keysOn: async (port) => Number((await cli(port, 'dbsize')).trim()),
    async kill(port) {
      const child = children.get(port);
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async healthy(ms = 20_000) {
      const until = Date.now() + ms;
      for (;;) {
        const states = await Promise.all(live().map((port) => cli(port, 'cluster', 'info').catch(() => '')));
        if (states.every((info) => info.includes('cluster_state:ok'))) return;
        if (Date.now() > until) throw new Error(`the cluster is not healthy after ${ms} ms`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async close() {
      await Promise.all(ports.map((port) => cluster.kill(port)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.healthy();
  return cluster;
}
