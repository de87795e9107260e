import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../lib/config/supergraph-config.ts';

/** The peer gateways' own folder: its package.json and lockfile pin the versions compared. */
export const PEERS_DIR = resolve(ROOT, 'bench/peers');

/**
 * Installs the peer gateways from bench/peers/package-lock.json when they are missing or the lockfile
 * changed since the last install, so the product's `npm install` never pulls them. Returns the
 * installed versions, for the table's notes.
 */
export function ensurePeersInstalled(): Record<string, string> {
  const installedLock = resolve(PEERS_DIR, 'node_modules/.package-lock.json');
  const wanted = JSON.parse(readFileSync(resolve(PEERS_DIR, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const current = existsSync(installedLock)
    ? (JSON.parse(readFileSync(installedLock, 'utf8')) as { packages: Record<string, { version?: string }> })
    : undefined;
  const stale =
    !current || Object.entries(wanted.packages).some(([path, entry]) => path !== '' && current.packages[path]?.version !== entry.version);
  if (stale) {
    process.stdout.write('Installing the peer gateways into bench/peers (first run only)...\n');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEERS_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const version = (name: string) => wanted.packages[`node_modules/${name}`]?.version ?? '?';
  return {
    '@apollo/gateway': (JSON.parse(readFileSync(resolve(ROOT, 'node_modules/@apollo/gateway/package.json'), 'utf8')) as { version: string })
      .version,
    '@graphql-hive/gateway-runtime': version('@graphql-hive/gateway-runtime'),
    '@graphql-hive/router-runtime': version('@graphql-hive/router-runtime'),
  };
}
