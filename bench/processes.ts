import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../lib/config/supergraph-config.ts';

/** Where every benchmark process writes its stdout and stderr (git-ignored with bench/results). */
export const LOG_DIR = resolve(ROOT, 'bench/results/logs');

/** A server process the benchmark started and will stop. */
export interface Service {
  readonly name: string;
  /** The GraphQL endpoint it reported once ready. */
  readonly url: string;
  readonly pid: number;
  /** Starts a new peak-memory window (Linux: clears the kernel's high-water mark). */
  resetPeak(): void;
  /** Peak resident memory in MB since the last {@link resetPeak}, or since start. */
  peakRssMb(): number;
  /** CPU time (user + system) the process has used so far, in ms: per request, it is immune to a busy machine. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** How to start one service. */
export interface ServiceSpec {
  name: string;
  /** Entry file; it reports `{ ready: url }` over IPC once listening, as `runUntilStopped` does. */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** Node flags, e.g. `--import tsx` for TypeScript entries, `--cpu-prof` for profiling. */
  execArgv?: string[];
  timeoutMs?: number;
}

/** Every child still running: killed if the benchmark exits early, even mid start-up (a seeding subgraph has no IPC watch yet). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Forks a service with its output in `bench/results/logs/<name>.log` and waits until it reports
 * the URL it listens on. A service that exits first rejects with the tail of its log.
 */
export function startService(spec: ServiceSpec): Promise<Service> {
  mkdirSync(LOG_DIR, { recursive: true });
  const logPath = resolve(LOG_DIR, `${spec.name}.log`);
  const log = openSync(logPath, 'w');
  const child = fork(spec.entry, [], { execArgv: spec.execArgv ?? [], env: spec.env, stdio: ['ignore', log, log, 'ipc'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const timeoutMs = spec.timeoutMs ?? 180_000;
  return new Promise((resolveReady, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const tail = readFileSync(logPath, 'utf8').trim().split('\n').slice(-15).join('\n');
      reject(new Error(`${spec.name} ${reason}; last lines of ${logPath}:\n${tail}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    child.on('message', (message: { ready?: string }) => {
      if (!message?.ready) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolveReady(service(spec.name, message.ready, child));
    });
  });
}

function service(name: string, url: string, child: ChildProcess): Service {
  const pid = child.pid!;
  let sampledPeak = 0;
  return {
    name,
    url,
    pid,
    resetPeak() {
      sampledPeak = 0;
      try {
        // "5" resets VmHWM to the current RSS (Linux ≥ 4.0).
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not Linux, or not permitted: VmHWM then covers the process's whole life.
      }
    },
    peakRssMb() {
      const status = readProcStatus(pid);
      sampledPeak = Math.max(sampledPeak, status.hwmKb, status.rssKb);
      return Math.round(sampledPeak / 1024);
    },
    cpuMs: () => readCpuMs(pid),
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}

const TICK_MS = 10;

function readCpuMs(pid: number): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (USER_HZ = 100).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

function readProcStatus(pid: number): { hwmKb: number; rssKb: number } {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return { hwmKb: 0, rssKb: 0 };
  }
}
