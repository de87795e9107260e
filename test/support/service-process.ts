import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { childEnvironment } from '../../lib/config/env.ts';
import { ROOT } from '../../lib/config/supergraph-config.ts';

/** A service (a subgraph or the gateway) running as its own process, as `npm start` and containers run it. */
export interface ServiceProcess {
  url: string;
  /** The gateway's operational origin (`/metrics`), when the service is the gateway. */
  operations: string | undefined;
  port: number;
  /** Everything it wrote on stderr (its JSON logs). */
  output(): string;
  /** Sends `signal` and resolves with the exit code once the process is gone. */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process is gone. */
  readonly exited: Promise<number | null>;
}

/**
 * Forks `entry` (e.g. `gateway/index.ts`, `subgraphs/<name>/index.ts`, or a compiled `.js`) on 127.0.0.1
 * (`port` 0 picks a free one; the gateway's OPS_PORT is a free one too) with `env` on top of this
 * environment, and resolves once it says it listens. Rejects, with its output, if it exits or is not ready within
 * `timeoutMs`.
 */
export function startServiceProcess(
  entry: string,
  env: Record<string, string | undefined>,
  port = 0,
  timeoutMs = 90_000,
): Promise<ServiceProcess> {
  const child: ChildProcess = fork(resolve(ROOT, entry), [], {
    // A compiled entry (`npm run build`) runs on plain node, as in the image.
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    env: childEnvironment({ HOST: '127.0.0.1', PORT: String(port), OPS_PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env }),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`${entry} was not ready within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`${entry} exited (${code}) before it was ready:\n${output}`));
    });
    child.on('message', (message: { ready?: string; operations?: string }) => {
      if (!message.ready) return;
      clearTimeout(timer);
      ready({
        url: message.ready,
        operations: message.operations,
        port: Number(new URL(message.ready).port),
        output: () => output,
        exited,
        async stop(signal) {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
