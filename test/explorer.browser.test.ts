import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { type Stack, startStack } from './support/stack.ts';

// A real browser on the real explorer: Debian's Chromium, never one downloaded by Playwright.
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) console.log(`explorer browser test skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does it)`);

const ARTIFACTS = join(ROOT, 'test/artifacts');
let stack: Stack;
let context: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  if (!available) return;
  // Build what the gateway serves, so the test never runs against a stale or missing bundle.
  execFileSync('npm', ['run', '-s', 'build:explorer'], { cwd: ROOT, stdio: 'pipe' });
  stack = await startStack('pglite');
  profileDir = mkdtempSync(join(tmpdir(), 'liaison-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
  });
});
afterAll(async () => {
  await context?.close();
  await stack?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('the explorer in a browser', () => {
  it.skipIf(!available)('runs the cross-subgraph example as the analyst demo profile, without leaving the gateway', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${origin}/`);
    await page.waitForSelector('#liaison-profile option:has-text("analyst FR")', { state: 'attached' });
    await page.selectOption('#liaison-profile', { label: 'analyst FR (read + PII)' });
    await expect.poll(() => page.textContent('.liaison-panel')).toContain('wanted:pii');
    await page.selectOption('#liaison-purpose', 'INVESTIGATION');
    await page.fill('#liaison-purpose-reference', 'C000000001');

    await page.click('button[aria-label="Show Examples"]');
    await page.click('button:has-text("Case with subjects and property")');
    await expect.poll(() => page.textContent('.graphiql-query-editor')).toContain('CaseWithSubjectsAndProperty');
    const sent = page.waitForRequest(
      (request) => request.url().endsWith('/graphql') && (request.postData() ?? '').includes('CaseWithSubjectsAndProperty'),
    );
    await page.click('.graphiql-execute-button');
    const request = await sent;
    expect(request.headers()).toMatchObject({
      authorization: expect.stringMatching(/^Bearer ey/),
      'liaison-purpose': 'INVESTIGATION',
      'liaison-purpose-reference': 'C000000001',
    });

    await expect.poll(() => page.textContent('.graphiql-response'), { timeout: 30_000 }).toContain('"caseNumber"');
    const result = (await page.textContent('.graphiql-response')) ?? '';
    expect(result).toMatch(/"C\d{9}"/);
    expect(result).toContain('"familyName"');
    expect(result).not.toContain('UNAUTHORIZED');
    await page.click('button[aria-label="Show Liaison: identity and purpose"]');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });

    expect(pageErrors).toEqual([]);
    const offsite = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(offsite).toEqual([]);
  });
});
