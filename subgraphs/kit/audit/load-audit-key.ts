import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ConfigError } from '../../../lib/config/env.ts';
import { DEV_KEYS_DIR } from '../../../lib/identity/dev-keys.ts';
import { readOrCreateKeyFile } from '../../../lib/identity/write-key-once.ts';
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
 * The development audit key of `subgraph`, generated on first use. Replicas, `npm start` and
 * docker-compose may start at once, so it is created write-if-absent, as lib/identity/dev-keys.ts
 * does: exactly one generation wins and every process reads the same key.
 */
export function devAuditKey(subgraph: string): AuditKey {
  return AuditKey.parse(readOrCreateKeyFile(devAuditKeyPath(subgraph), () => AuditKey.generate().toFileText()));
}
