import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnvironment } from '../lib/config/env.ts';
import { devKeyPair, DEV_KEYS_DIR } from '../lib/identity/dev-keys.ts';
import { readSupergraphConfig, ROOT } from '../lib/config/supergraph-config.ts';
import { graphql } from './support/graphql-client.ts';
import { bearer } from './support/tokens.ts';
import { subgraphPortsAtZero } from './support/free-ports.ts';

// An agency onboards itself in a scratch copy of the repository: scaffold, its generated tests, npm start,
// a federated query joining it with the existing subgraphs, then a broken SDL that must not take it down.
const copy = mkdtempSync(join(tmpdir(), 'liaison-onboarding-'));
const run = (args: string[]) =>
  execFileSync('node', ['--import', 'tsx', ...args], { cwd: copy, env: childEnvironment({ LOG_LEVEL: 'warn' }), stdio: 'pipe' }).toString();
let started: ChildProcess | undefined;
let gatewayUrl: string;

beforeAll(async () => {
  await devKeyPair('partner-issuer');
  await devKeyPair('gateway-identity');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT }).toString().split('\0').filter(Boolean);
  for (const file of files) cpSync(resolve(ROOT, file), resolve(copy, file), { recursive: true });
  cpSync(DEV_KEYS_DIR, join(copy, '.keys'), { recursive: true });
  symlinkSync(resolve(ROOT, 'node_modules'), join(copy, 'node_modules'));
});
afterAll(() => started?.kill('SIGTERM'));

describe('onboarding an agency subgraph', () => {
  it('scaffolds, registers and composes it; its generated tests pass untouched', () => {
    const out = run(['scripts/subgraph-new.ts', 'firearms-registry', '--agency', 'FRPN00001', '--entity', 'RegisteredFirearm']);
    expect(out).toContain('Created subgraphs/firearms-registry/');
    expect(readFileSync(join(copy, 'schema/supergraph.yaml'), 'utf8')).toContain('name: firearms-registry');
    expect(readSupergraphConfig(join(copy, 'schema/supergraph.yaml')).find((entry) => entry.name === 'hit-confirmations')!.asks).toContain(
      'firearms-registry',
    );
    // The next port after the listed subgraphs', and one subgraph more.
    const listed = readSupergraphConfig();
    const port = Math.max(...listed.map((entry) => entry.port)) + 1;
    expect(readFileSync(join(copy, 'docker-compose.yml'), 'utf8')).toContain(
      `FIREARMS_REGISTRY_URL: http://firearms-registry:${port}/graphql`,
    );
    expect(run(['schema/compose.ts', '--check'])).toContain(`is up to date (${listed.length + 1} subgraphs)`);
    // Renamed throughout: no name of the template is left in the copy, which lints as the template does.
    const folder = join(copy, 'subgraphs/firearms-registry');
    const files = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.includes('.'));
    expect(files.filter((file) => /example|XMPL00001/i.test(file + readFileSync(join(folder, file), 'utf8')))).toEqual([]);
    execFileSync('npx', ['eslint', 'subgraphs/firearms-registry'], { cwd: copy, env: childEnvironment({}), stdio: 'pipe' });
    const tests = execFileSync('npx', ['vitest', 'run', 'subgraphs/firearms-registry', 'schema'], {
      cwd: copy,
      env: childEnvironment({}),
      stdio: 'pipe',
    }).toString();
    // vitest colours its summary.
    expect(tests.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed \(\d+\)/);
  }, 120_000);

  it('adds it to the Kubernetes manifests, which still pass their test with it', () => {
    const manifests = readFileSync(join(copy, 'deploy/kubernetes/base/subgraphs/firearms-registry.yaml'), 'utf8');
    expect(manifests).toContain("command: ['node', 'dist/subgraphs/firearms-registry/index.js']");
    // The manifest test itself holds it to schema/supergraph.yaml: a Deployment, Service, PDB, route and Secrets.
    const tests = execFileSync('npx', ['vitest', 'run', 'test/kubernetes-manifests.test.ts'], {
      cwd: copy,
      env: childEnvironment({}),
      stdio: 'pipe',
    }).toString();
    expect(tests.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    execFileSync('npx', ['prettier', '--check', 'deploy', 'schema/supergraph.yaml', 'docker-compose.yml'], {
      cwd: copy,
      env: childEnvironment({}),
      stdio: 'pipe',
    });
  }, 60_000);

  it('serves it through the gateway joined with wanted-persons and case-status, and survives a broken SDL', async () => {
    started = spawn('node', ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: copy,
      env: childEnvironment({
        PORT: '0',
        OPS_PORT: '0',
        ...subgraphPortsAtZero(resolve(copy, 'schema/supergraph.yaml')),
        LOG_LEVEL: 'warn',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    started.stdout!.on('data', (chunk) => (output += chunk));
    started.stderr!.on('data', (chunk) => (output += chunk));
    for (let waited = 0; !/GraphQL\s+http/.test(output); waited += 100) {
      if (waited > 90_000) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    gatewayUrl = /GraphQL\s+(http:\/\/\S+)/.exec(output)![1]!;
    const headers = await bearer({ scopes: ['firearms-registry:read', 'wanted:read', 'wanted:pii', 'case:read', 'case:restricted'] });
    const query =
      '{ registeredFirearm(id: "R000000001") { id provenance { sourceSubgraph } linkedPerson { id fullName cases { totalCount } } } }';
    const joined = await graphql(gatewayUrl, query, {}, headers);
    expect(joined.errors).toBeUndefined();
    expect(joined.data!.registeredFirearm).toMatchObject({
      id: 'R000000001',
      provenance: { sourceSubgraph: 'firearms-registry' },
      linkedPerson: { id: 'W000000001', fullName: expect.any(String) },
    });

    // Its records join the hit workflow without a line written for it: a reference-only firearm, a hit on
    // it by another agency, the owner's confirmation releasing it in full to that agency.
    const owner = await bearer({
      agency: 'FRPN00001',
      scopes: ['firearms-registry:read', 'firearms-registry:write', 'hit-confirmations:read', 'hit-confirmations:write'],
    });
    const partner = await bearer({
      agency: 'ESPN00001',
      scopes: ['firearms-registry:read', 'hit-confirmations:read', 'hit-confirmations:write'],
    });
    const registered = await graphql(
      gatewayUrl,
      'mutation { registerRegisteredFirearm(input: { label: "Beretta 92", jurisdiction: "FR", releasability: { mode: REFERENCE_ONLY } }, idempotencyKey: "onboarding-hit-0001") { id } }',
      {},
      owner,
    );
    const firearm = registered.data!.registerRegisteredFirearm.id as string;
    const READ = `{ registeredFirearm(id: "${firearm}") { id releasedInFull label } }`;
    expect((await graphql(gatewayUrl, READ, {}, partner)).data).toEqual({
      registeredFirearm: { id: firearm, releasedInFull: false, label: null },
    });
    const requested = await graphql(
      gatewayUrl,
      `mutation { requestHitConfirmation(input: { recordId: "${firearm}", priority: URGENT }, idempotencyKey: "onboarding-hit-0002") { id status recordType recordKind owningAgency } }`,
      {},
      partner,
    );
    expect(requested.errors).toBeUndefined();
    const request = requested.data!.requestHitConfirmation;
    expect(request).toMatchObject({ status: 'PENDING', recordType: 'RegisteredFirearm', recordKind: null, owningAgency: 'FRPN00001' });
    const answered = await graphql(
      gatewayUrl,
      `mutation { answerHitConfirmation(input: { requestId: "${request.id}", answer: CONFIRMED, releaseForSeconds: 600 }, expectedVersion: 1, idempotencyKey: "onboarding-hit-0003") { status releasedUntil } }`,
      {},
      owner,
    );
    expect(answered.errors).toBeUndefined();
    expect((await graphql(gatewayUrl, READ, {}, partner)).data).toEqual({
      registeredFirearm: { id: firearm, releasedInFull: true, label: 'Beretta 92' },
    });

    const schema = join(copy, 'subgraphs/firearms-registry/schema.graphql');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('label: String', 'label: NoSuchType'));
    expect(() => run(['schema/compose.ts'])).toThrow(/firearms-registry|NoSuchType/);
    writeFileSync(join(copy, 'schema/supergraph.graphql'), 'not a supergraph');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await graphql(gatewayUrl, query, {}, headers)).data).toEqual(joined.data);
  }, 150_000);
});
