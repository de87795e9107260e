import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH_GRAPHQL } from '../lib/config/supergraph-config.ts';
import { graphql } from './support/graphql-client.ts';
import { memoryLog } from './support/memory-log.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

const dir = mkdtempSync(join(tmpdir(), 'liaison-supergraph-'));
const path = join(dir, 'supergraph.graphql');
copyFileSync(SUPERGRAPH_GRAPHQL, path);
const log = memoryLog();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite', { gatewayEnv: { SUPERGRAPH_PATH: path }, gatewayLog: log.log });
});
afterAll(() => stack?.close());

const ask = async (query: string) => graphql(stack.gatewayUrl, query, {}, await bearer());
const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('supergraph reload', () => {
  it('picks up a changed supergraph without a restart, and keeps the previous one when the new one is broken', async () => {
    const original = readFileSync(path, 'utf8');
    expect((await ask('{ wantedPerson(id: "W000000001") { id } }')).data).toEqual({ wantedPerson: { id: 'W000000001' } });

    // Hide a root field by removing it from the supergraph: the gateway must start refusing it.
    writeFileSync(path, original.replace(/^ {2}""".*"""\n {2}wantedPersonsByNotice\(.*\n/m, ''));
    await until(
      async () =>
        (await ask('{ wantedPersonsByNotice(noticeType: RED) { totalCount } }')).errors?.[0]?.extensions?.code ===
        'GRAPHQL_VALIDATION_FAILED',
    );

    // A broken file is refused and logged; the last good supergraph keeps serving.
    writeFileSync(path, 'this is not a supergraph');
    await until(async () => log.entries().some((line) => line.msg === 'supergraph refused; the previous one keeps serving'));
    expect((await ask('{ wantedPerson(id: "W000000001") { id } }')).data).toEqual({ wantedPerson: { id: 'W000000001' } });
    expect((await ask('{ wantedPersonsByNotice(noticeType: RED) { totalCount } }')).errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    writeFileSync(path, original);
    await until(async () => (await ask('{ wantedPersonsByNotice(noticeType: RED) { totalCount } }')).errors === undefined);
  });
});
