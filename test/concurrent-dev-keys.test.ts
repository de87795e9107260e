import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_KEYS_DIR } from '../lib/identity/dev-keys.ts';
import { devAuditKeyPath } from '../subgraphs/kit/audit/load-audit-key.ts';
import type { KeyRaceAnswer, KeyRaceOrder } from './support/key-race-child.ts';

// Services started together (docker-compose: every one PID 1, one keys volume) create the same
// development key at the same moment: all must end with one key, and none may fail.
const PROCESSES = 6;
const ROUNDS = 15;
const CHILD = resolve(import.meta.dirname, 'support/key-race-child.ts');
const names: string[] = [];
let children: ChildProcess[] = [];

beforeAll(async () => {
  children = Array.from({ length: PROCESSES }, () => fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' }));
  await Promise.all(children.map((child) => new Promise((ready) => child.once('message', ready))));
});
afterAll(() => {
  for (const child of children) child.kill();
  for (const name of names) {
    rmSync(resolve(DEV_KEYS_DIR, `${name}.json`), { force: true });
    rmSync(devAuditKeyPath(name), { force: true });
  }
});

/** Tells every child to create `order` at once and collects what each ended with. */
const race = (order: KeyRaceOrder): Promise<KeyRaceAnswer[]> =>
  Promise.all(
    children.map(
      (child) =>
        new Promise<KeyRaceAnswer>((answer) => {
          child.once('message', (message: KeyRaceAnswer) => answer(message));
          child.send(order);
        }),
    ),
  );

const leftovers = (name: string) => readdirSync(DEV_KEYS_DIR).filter((file) => file.includes(name) && file.endsWith('.tmp'));

describe('development keys created by processes starting together, all PID 1', () => {
  it.each(['identity', 'audit'] as const)('every process ends with the same %s key, without an error or a stray file', async (kind) => {
    for (let round = 0; round < ROUNDS; round++) {
      const name = `test-race-${randomUUID().slice(0, 8)}`;
      names.push(name);
      const answers = await race({ kind, name });
      expect(answers.filter((answer) => 'error' in answer)).toEqual([]);
      const keys = new Set(answers.map((answer) => ('key' in answer ? answer.key : undefined)));
      expect(keys.size).toBe(1);
      expect(leftovers(name)).toEqual([]);
      // A later start reads the winner.
      expect(await race({ kind, name })).toEqual(answers);
    }
  });
});
