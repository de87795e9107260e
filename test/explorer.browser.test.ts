import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../lib/config/supergraph-config.ts';
import { EXAMPLES, isSubscription } from '../gateway/explorer/app/examples.ts';
import type { DevProfile } from '../gateway/explorer/server/explorer-profiles.ts';
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

  it.skipIf(!available)('lists a subscription per subgraph, and runs one over WebSocket until a write arrives', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const initPayloads: Record<string, unknown>[] = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const message = JSON.parse(String(payload)) as { type: string; payload?: Record<string, unknown> };
        if (message.type === 'connection_init') initPayloads.push(message.payload ?? {});
      }),
    );

    await page.goto(`${origin}/`);
    await page.waitForSelector('#liaison-profile option:has-text("analyst FR")', { state: 'attached' });
    await page.selectOption('#liaison-profile', { label: 'analyst FR (read + PII)' });
    await expect.poll(() => page.textContent('.liaison-panel')).toContain('wanted:pii');
    await page.selectOption('#liaison-purpose', 'INVESTIGATION');
    await page.fill('#liaison-purpose-reference', 'ALERTS-1');

    await page.click('button[aria-label="Show Examples"]');
    for (const example of EXAMPLES.filter(isSubscription)) await page.waitForSelector(`button:has-text("${example.title}")`);
    await page.click('button:has-text("Alerts: wanted-person notices")');
    await expect.poll(() => page.textContent('.graphiql-query-editor')).toContain('WantedPersonAlerts');
    await page.click('.graphiql-execute-button');
    await expect.poll(() => initPayloads.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(initPayloads[0]).toEqual({
      authorization: expect.stringMatching(/^Bearer ey/),
      'liaison-purpose': 'INVESTIGATION',
      'liaison-purpose-reference': 'ALERTS-1',
    });

    // A write through the gateway, as the analyst, until its event shows in the response pane.
    const profiles = (await (await fetch(`${origin}/explorer/dev-profiles`)).json()) as DevProfile[];
    const analyst = profiles.find((profile) => profile.name === 'analyst FR (read + PII)')!;
    const issue = async () => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${analyst.token}`,
          'liaison-purpose': 'INVESTIGATION',
          'liaison-purpose-reference': 'ALERTS-1',
        },
        body: JSON.stringify({
          query:
            'mutation Issue($input: IssueWantedNoticeInput!, $key: String!) { issueWantedNotice(input: $input, idempotencyKey: $key) { id } }',
          variables: {
            key: randomUUID(),
            input: { familyName: 'Browser', givenNames: 'Ada', sex: 'UNKNOWN', noticeType: 'BLUE', jurisdiction: 'FR' },
          },
        }),
      });
      return ((await response.json()) as { data: { issueWantedNotice: { id: string } } }).data.issueWantedNotice.id;
    };
    let shown = '';
    for (let attempt = 0; attempt < 15 && !shown.includes('Ada Browser'); attempt++) {
      await issue();
      const deadline = Date.now() + 2_000;
      while (Date.now() < deadline && !(shown = (await page.textContent('.graphiql-response')) ?? '').includes('Ada Browser'))
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(shown).toContain('"wantedPersonEvents"');
    expect(shown).toContain('Ada Browser');
    expect(shown).not.toContain('UNAUTHORIZED');
    expect(pageErrors).toEqual([]);
  });
});
