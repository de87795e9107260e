import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSupergraphConfig, SUPERGRAPH_GRAPHQL } from '../lib/config/supergraph-config.ts';
import { composeSupergraph } from '../schema/compose-supergraph.ts';
import { graphql } from './support/graphql-client.ts';
import { type Stack, startStack } from './support/stack.ts';
import { bearer } from './support/tokens.ts';

// A Kubernetes ConfigMap volume, as the kubelet lays it out and updates it: the file is a link into
// `..data`, itself a link to a timestamped folder; an update writes a new folder and renames a new
// `..data` link over the old one, so no event ever names the file itself.
const dir = mkdtempSync(join(tmpdir(), 'liaison-configmap-'));
const path = join(dir, 'supergraph.graphql');
mkdirSync(join(dir, '..2026_01_01_00_00_00.1'));
copyFileSync(SUPERGRAPH_GRAPHQL, join(dir, '..2026_01_01_00_00_00.1', 'supergraph.graphql'));
symlinkSync('..2026_01_01_00_00_00.1', join(dir, '..data'));
symlinkSync(join('..data', 'supergraph.graphql'), path);

/** Publishes `sdl` as the kubelet publishes a ConfigMap update: atomically, by swapping `..data`. */
function updateConfigMap(sdl: string, version: string): void {
  const folder = `..2026_01_01_00_00_00.${version}`;
  mkdirSync(join(dir, folder));
  writeFileSync(join(dir, folder, 'supergraph.graphql'), sdl);
  symlinkSync(folder, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite', { gatewayEnv: { SUPERGRAPH_PATH: path } });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ask = async (query: string) => graphql(stack.gatewayUrl, query, {}, await bearer());
const CASE = '{ case(caseNumber: "C000000001") { caseNumber } }';
const ALL_UP: Record<string, string> = Object.fromEntries(readSupergraphConfig().map((entry) => [entry.name, 'up']));
const { 'case-status': _retired, ...withoutCaseStatus } = ALL_UP;
const ready = async () => {
  const response = await fetch(new URL('/ready', stack.gatewayOperationsUrl));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const until = async (check: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('a supergraph mounted from a ConfigMap', () => {
  it('is reloaded when the ConfigMap is updated, and /ready follows the subgraphs of the supergraph served', async () => {
    expect((await ask(CASE)).errors?.[0]?.extensions?.code).not.toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', supergraph: 'loaded', subgraphs: ALL_UP },
    });

    // The operators retire case-status: the new supergraph has no `case` field and no such subgraph.
    const without = composeSupergraph(readSupergraphConfig().filter((entry) => entry.name !== 'case-status'));
    if (!without.ok) throw new Error(without.errors.join('\n'));
    updateConfigMap(without.supergraphSdl, '2');
    await until(async () => (await ask(CASE)).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED');
    expect((await ask('{ wantedPerson(id: "W000000001") { id } }')).data).toEqual({ wantedPerson: { id: 'W000000001' } });
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', supergraph: 'loaded', subgraphs: withoutCaseStatus },
    });

    // And back, by a second update.
    updateConfigMap(readFileSync(SUPERGRAPH_GRAPHQL, 'utf8'), '3');
    await until(async () => (await ask(CASE)).errors?.[0]?.extensions?.code !== 'GRAPHQL_VALIDATION_FAILED');
    expect((await ready()).body.subgraphs).toEqual(ALL_UP);
  });
});
