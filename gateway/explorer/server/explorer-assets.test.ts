import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH_GRAPHQL } from '../../../lib/config/supergraph-config.ts';
import { explorerHandler, type ExplorerOptions } from './explorer-assets.ts';

let root: string;
let dist: string;
const servers: Server[] = [];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'liaison-explorer-dist-'));
  dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>explorer</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'index-abc123.css'), 'body{}');
  writeFileSync(join(dist, 'assets', 'notes.txt'), 'not a web asset');
  writeFileSync(join(root, 'secret.js'), 'outside dist');
});
afterAll(() => {
  servers.forEach((server) => server.close());
  rmSync(root, { recursive: true, force: true });
});

/** Serves the handler alone (404 for what it declines) and returns the origin. */
async function serve(options: Partial<ExplorerOptions> = {}): Promise<string> {
  const handle = explorerHandler({
    enabled: true,
    devProfiles: false,
    supergraphPath: SUPERGRAPH_GRAPHQL,
    graphqlPath: '/graphql',
    distDir: dist,
    ...options,
  });
  const server = createServer((req, res) => void (handle(req, res) || res.writeHead(404).end('declined')));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('explorer assets', () => {
  it('serves index.html at / with a same-origin CSP and hashed assets with long caching', async () => {
    const origin = await serve();
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('<title>explorer</title>');
    const script = await fetch(`${origin}/explorer/assets/index-abc123.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await script.text()).toBe('console.log(1)');
    expect((await fetch(`${origin}/explorer/assets/index-abc123.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const head = await fetch(`${origin}/explorer/assets/index-abc123.js`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('14');
  });

  it('serves nothing outside dist/, nothing hidden, and no unknown file type', async () => {
    const origin = await serve();
    for (const path of [
      '/explorer/../secret.js',
      '/explorer/%2e%2e/secret.js',
      '/explorer/assets/%2e%2e%2f..%2fsecret.js',
      '/explorer/..%5csecret.js',
      '/explorer/assets/notes.txt',
      '/explorer/assets/missing.js',
      '/explorer/assets/',
      '/explorer/%00.js',
      '/explorer/%E0%A4%A.js',
    ]) {
      const response = await fetch(`${origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('outside dist');
    }
    expect(await (await fetch(`${origin}/graphql`)).text()).toBe('declined');
    expect(await (await fetch(`${origin}/`, { method: 'POST' })).text()).toBe('declined');
  });

  it('without a build, serves the landing page saying how to build the explorer', async () => {
    const origin = await serve({ distDir: join(root, 'nothing-here') });
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('npm run build:explorer');
  });

  it('when disabled, answers 404 for the page, its files and the demo profiles', async () => {
    const origin = await serve({ enabled: false, devProfiles: true });
    for (const path of ['/', '/explorer/assets/index-abc123.js', '/explorer/dev-profiles'])
      expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
  });

  it('offers demo profiles only when told to', async () => {
    expect((await fetch(`${await serve()}/explorer/dev-profiles`)).status).toBe(404);
    const profiles = await fetch(`${await serve({ devProfiles: true })}/explorer/dev-profiles`);
    expect(profiles.status).toBe(200);
    expect(((await profiles.json()) as unknown[]).length).toBeGreaterThan(0);
  });
});
