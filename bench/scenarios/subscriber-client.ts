import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from '../../lib/config/supergraph-config.ts';

// The parent's side of bench/subscribers.ts: one command at a time over IPC, every wait bounded.

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The subscribers' process, asked one thing at a time. */
export class Subscribers {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(resolve(ROOT, 'bench/subscribers.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  ask<T>(command: Record<string, unknown>, reply: string, ms: number): Promise<T> {
    return new Promise((done, fail) => {
      const timer = setTimeout(() => {
        this.child.off('message', listener);
        fail(new Error(`subscribers: no ${reply} within ${ms} ms`));
      }, ms);
      const listener = (message: { type: string }) => {
        if (message.type !== reply) return;
        clearTimeout(timer);
        this.child.off('message', listener);
        done(message as T);
      };
      this.child.on('message', listener);
      this.child.send(command);
    });
  }
  close() {
    if (this.child.exitCode === null) this.child.send({ type: 'close' });
    setTimeout(() => this.child.kill('SIGKILL'), 2_000).unref();
  }
}

export interface Status {
  min: number;
  maxSeq: number;
}

/** Polls the subscribers until each has `count` events past `afterSeq`, for at most `ms`. */
export async function waitFor(subscribers: Subscribers, afterSeq: number, count: number, ms: number): Promise<Status> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = await subscribers.ask<Status>({ type: 'status', afterSeq }, 'status', 10_000);
    if (status.min >= count || Date.now() > deadline) return status;
    await sleep(200);
  }
}
