import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '../lib/config/env.ts';
import { ROOT, readSupergraphConfig } from '../lib/config/supergraph-config.ts';
import { graphql } from './support/graphql-client.ts';
import { bearer } from './support/tokens.ts';
import { subgraphPortsAtZero } from './support/free-ports.ts';

/** One operation through the gateway as a partner with full access. */
const ask = async (url: string, query: string, variables?: Record<string, unknown>) => graphql(url, query, variables, await bearer());

/** `npm start` as a user runs it, on free ports and embedded PGlite databases. */
function npmStart(env: Record<string, string>): ChildProcess {
  return spawn('node', ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: childEnvironment({
      PORT: '0',
      OPS_PORT: '0',
      ...subgraphPortsAtZero(),
      LOG_LEVEL: 'warn',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function output(child: ChildProcess): { text: () => string; waitFor: (pattern: RegExp, ms: number) => Promise<RegExpMatchArray> } {
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  return {
    text: () => text,
    waitFor: (pattern, ms) =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output:\n${text}`)), ms);
        const poll = setInterval(() => {
          const match = text.match(pattern);
          if (match) {
            clearInterval(poll);
            clearTimeout(deadline);
            resolve(match);
          }
        }, 50);
      }),
  };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const children: ChildProcess[] = [];
afterAll(() => children.forEach((child) => child.kill('SIGKILL')));

describe('npm start', () => {
  it('starts every subgraph and the gateway, answers a cross-subgraph query, and stops them all on SIGTERM', async () => {
    const child = npmStart({});
    children.push(child);
    const out = output(child);
    const [, gatewayUrl] = await out.waitFor(/GraphQL\s+(http:\/\/\S+)/, 90_000);
    const subgraphPorts = [...out.text().matchAll(/^\s+[a-z-]+\s+http:\/\/[^:]+:(\d+)\/graphql$/gm)].map((match) => Number(match[1]));
    expect(subgraphPorts).toHaveLength(readSupergraphConfig().length);

    const response = await ask(
      gatewayUrl!,
      '{ cases(first: 50) { nodes { caseNumber subjects { nodes { id fullName cases { nodes { caseNumber } } } } relatedProperty { nodes { id description case { caseNumber } } } } } }',
    );
    expect(response.errors).toBeUndefined();
    const found = response.data!.cases.nodes.find((c: any) => c.subjects.nodes.length > 0 && c.relatedProperty.nodes.length > 0);
    expect(found, 'a demo case with subjects and property').toBeDefined();
    for (const subject of found.subjects.nodes) {
      expect(subject.fullName).toEqual(expect.any(String));
      expect(subject.cases.nodes.map((c: any) => c.caseNumber)).toContain(found.caseNumber);
    }
    for (const item of found.relatedProperty.nodes) expect(item.case).toEqual({ caseNumber: found.caseNumber });
    const health = await fetch(new URL('/health', gatewayUrl).toString());
    expect(health.status).toBe(200);
    const [, metricsUrl] = out.text().match(/Metrics\s+(http:\/\/\S+)/) ?? [];
    expect(metricsUrl).toMatch(/\/metrics$/);
    expect(await (await fetch(metricsUrl!)).text()).toContain('liaison_gateway_requests_total');

    // Only the services: tsx may run an esbuild helper process beside them.
    const pids = execFileSync('pgrep', ['-P', String(child.pid), '-f', 'index\\.ts'])
      .toString()
      .trim()
      .split('\n')
      .map(Number);
    // Every subgraph and the gateway.
    expect(pids).toHaveLength(readSupergraphConfig().length + 1);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  }, 120_000);

  it('refuses to start on a bad variable and names it', async () => {
    const child = npmStart({ CASE_STATUS_PORT: 'seventy' });
    children.push(child);
    const out = output(child);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(out.text()).toContain('CASE_STATUS_PORT');
  });
});
