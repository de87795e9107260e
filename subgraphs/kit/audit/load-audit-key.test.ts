import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/env.ts';
import { AuditKey } from './audit-key.ts';
import { devAuditKey, devAuditKeyPath, loadAuditKey } from './load-audit-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'liaison-audit-key-'));
const devName = `test-${randomBytes(4).toString('hex')}`;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(devAuditKeyPath(devName), { force: true });
});
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const message = (attempt: () => unknown) => {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('the audit key', () => {
  it('is required in production, and never a development key there', () => {
    expect(message(() => loadAuditKey(undefined, true, 'wanted-persons'))).toMatch(/AUDIT_KEY_FILE: required in production/);
    expect(message(() => loadAuditKey(devAuditKeyPath('wanted-persons'), true, 'wanted-persons'))).toMatch(
      /AUDIT_KEY_FILE: .* is a development key; production refuses development keys/,
    );
  });

  it('reads hex or base64 of 32 bytes or more, and says what is wrong with anything else', () => {
    const secret = randomBytes(32);
    const hex = loadAuditKey(file('hex.key', `${secret.toString('hex')}\n`), true, 'wanted-persons');
    const base64 = loadAuditKey(file('b64.key', secret.toString('base64')), true, 'wanted-persons');
    expect(base64.id).toBe(hex.id);
    expect(hex.mac('entry', 'x')).toBe(base64.mac('entry', 'x'));
    expect(hex.mac('entry', 'x')).not.toBe(hex.mac('checkpoint', 'x'));
    expect(JSON.stringify({ key: hex })).toBe(`{"key":{"id":"${hex.id}"}}`);
    expect(message(() => loadAuditKey(file('short.key', randomBytes(16).toString('hex')), true, 'x'))).toMatch(
      /AUDIT_KEY_FILE: .*short\.key must hold at least 32 random bytes as hex or base64/,
    );
    expect(message(() => loadAuditKey(join(dir, 'absent.key'), false, 'x'))).toMatch(/AUDIT_KEY_FILE: cannot read the audit key file/);
  });

  it('is generated once in development and kept beside the development keys', () => {
    const first = loadAuditKey(undefined, false, devName);
    expect(devAuditKey(devName).id).toBe(first.id);
    expect(statSync(devAuditKeyPath(devName)).mode & 0o077).toBe(0);
    expect(first.id).not.toBe(AuditKey.generate().id);
  });
});
