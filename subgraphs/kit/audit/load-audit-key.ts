import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ConfigError } from '../../../lib/config/env.ts';
import { DEV_KEYS_DIR } from '../../../lib/identity/dev-keys.ts';
import { AuditKey } from './audit-key.ts';

const VARIABLE = 'AUDIT_KEY_FILE';

/** Where a subgraph's development audit key lives: beside the development signing keys, git-ignored. */
export const devAuditKeyPath = (subgraph: string): string => resolve(DEV_KEYS_DIR, `audit-${subgraph}.key`);

/**
 * The subgraph's audit key from `file`, or outside production its development key. Production requires
 * the file and refuses one from the development keys folder: a development key sits on every
 * developer's machine, so MACs made with it prove nothing.
 */
export function loadAuditKey(file: string | undefined, production: boolean, subgraph: string): AuditKey {
  if (!file) {
    if (production) throw new ConfigError(`Invalid configuration:\n  ${VARIABLE}: required in production (development keys are refused)`);
    return devAuditKey(subgraph);
  }
  if (production && !relative(DEV_KEYS_DIR, resolve(file)).startsWith('..')) {
    throw new ConfigError(`Invalid configuration:\n  ${VARIABLE}: ${file} is a development key; production refuses development keys`);
  }
  return readAuditKeyFile(file, VARIABLE);
}

/** Reads a key file; `source` names where the path came from (a variable, an option) in the error. */
export function readAuditKeyFile(file: string, source: string): AuditKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${source}: cannot read the audit key file ${file} (${(error as Error).message})`);
  }
  try {
    return AuditKey.parse(text);
  } catch (error) {
    throw new ConfigError(`Invalid configuration:\n  ${source}: ${file} ${(error as Error).message}`);
  }
}

/**
 * The development audit key of `subgraph`, generated on first use. Replicas and `npm start` may start
 * at once, so the file is written aside and linked into place, as lib/identity/dev-keys.ts does:
 * exactly one generation wins and every process reads the same key.
 */
export function devAuditKey(subgraph: string): AuditKey {
  const path = devAuditKeyPath(subgraph);
  try {
    return AuditKey.parse(readFileSync(path, 'utf8'));
  } catch {
    mkdirSync(DEV_KEYS_DIR, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, AuditKey.generate().toFileText(), { mode: 0o600 });
    try {
      linkSync(temporary, path);
    } catch {
      // Another process linked its key first; use that one.
    } finally {
      unlinkSync(temporary);
    }
    return AuditKey.parse(readFileSync(path, 'utf8'));
  }
}
