import { type ChildProcess, fork } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { childEnvironment, startOrExit } from '../lib/config/env.ts';
import { CODE_EXTENSION, ROOT, readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { SUBGRAPH_NODE_OPTIONS } from '../lib/config/node-options.ts';
import { loadStartConfig } from './start-config.ts';

// `npm start`: every subgraph in its own process, then the gateway; stops them all together.
const children = new Map<string, ChildProcess>();
let stopping = false;

/** What a service tells the supervisor once it listens: its GraphQL URL, and the gateway its operational origin. */
interface Ready {
  ready: string;
  operations?: string;
}

function startService(
  name: string,
  entryPath: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  nodeOptions: string[] = [],
): Promise<Ready> {
  // Each service inherits this process's Node options (tsx's loader under `npm start`, none once compiled), and adds its own.
  const child = fork(entryPath, [], {
    env,
    execArgv: [...process.execArgv, ...nodeOptions],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      process.stderr.write(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything.\n`);
      void stopAll(1);
    }
  });
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (message: Partial<Ready>) => {
      if (!message.ready) return;
      clearTimeout(timer);
      resolveReady(message as Ready);
    });
    child.once('exit', () => reject(new Error(`${name} exited before it was ready`)));
  });
}

/**
 * A port free now on loopback, for a subgraph asked to listen on any (`<NAME>_PORT=0`): chosen here rather
 * than by the subgraph, so the subgraphs that call it (case links, hit confirmations) know it from the start.
 */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/** Each service drains its in-flight requests for up to SHUTDOWN_TIMEOUT_MS (10 s); past this it is killed. */
const FORCE_AFTER_MS = 20_000;

/** SIGTERM and wait, SIGKILL past {@link FORCE_AFTER_MS}. */
async function stopChildren(names: string[]): Promise<void> {
  const targets = names.flatMap((name) => {
    const child = children.get(name);
    return child ? [child] : [];
  });
  const exits = targets.map((child) => new Promise((done) => child.once('exit', done)));
  for (const child of targets) child.kill('SIGTERM');
  const force = setTimeout(() => targets.forEach((child) => child.kill('SIGKILL')), FORCE_AFTER_MS);
  await Promise.all(exits);
  clearTimeout(force);
}

/** The gateway first, so that the requests it drains still find their subgraphs; then the subgraphs. */
async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  await stopChildren(['gateway']);
  await stopChildren([...children.keys()]);
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

await startOrExit(async () => {
  const config = loadStartConfig(readSupergraphConfig());
  const subgraphs = await Promise.all(
    config.subgraphs.map(async (subgraph) => ({ ...subgraph, port: subgraph.port === 0 ? await freePort() : subgraph.port })),
  );
  // Subgraphs call each other too (case links and hit confirmations ask the records' owners; owners notify case-status).
  const peers = Object.fromEntries(subgraphs.map(({ entry, port }) => [`${entry.envPrefix}_URL`, `http://127.0.0.1:${port}/graphql`]));
  try {
    const readies = await Promise.all(
      subgraphs.map(({ entry, port, databaseUrl }) =>
        startService(
          entry.name,
          entry.entryPath,
          childEnvironment({ ...peers, PORT: String(port), DATABASE_URL: databaseUrl }),
          config.startupTimeoutMs,
          [SUBGRAPH_NODE_OPTIONS],
        ),
      ),
    );
    const urls = readies.map(({ ready }) => ready);
    const routing = Object.fromEntries(subgraphs.map(({ entry }, index) => [`${entry.envPrefix}_URL`, urls[index]]));
    const gateway = await startService(
      'gateway',
      resolve(ROOT, `gateway/index${CODE_EXTENSION}`),
      childEnvironment({ PORT: String(config.gatewayPort), ...routing }),
      config.startupTimeoutMs,
    );
    const gatewayUrl = gateway.ready;
    const origin = new URL(gatewayUrl).origin;
    const lines = config.subgraphs.map(({ entry }, index) => `    ${entry.name.padEnd(18)} ${urls[index]}`);
    process.stdout.write(
      `\nLiaison is ready.\n  GraphQL   ${gatewayUrl}\n  Explorer  ${origin}/\n  Health    ${origin}/health\n  Ready     ${origin}/ready\n  Metrics   ${gateway.operations}/metrics\n  Subgraphs\n${lines.join('\n')}\nPress Ctrl-C to stop.\n`,
    );
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    await stopAll(1);
  }
});
