import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether `openssl` can be run here: the TLS tests skip, saying why, where it cannot. */
export const hasOpenssl = (): boolean => spawnSync('openssl', ['version']).status === 0;

/** PEM files in a temporary directory, by name: `ca.crt`, `other-ca.crt`, `server.crt`, `server.key`. */
export interface TestCertificates {
  path(name: string): string;
  remove(): void;
}

/**
 * A CA, another CA, and a certificate for `subjectAltName` (127.0.0.1 and whatever else is listed)
 * signed by the first, each valid one day, generated with openssl for a test.
 */
export function makeTestCertificates(label: string, subjectAltName = 'IP:127.0.0.1'): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), `liaison-${label}-`));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', path('ca.key'), '-out', path('ca.crt'), '-days', '1', '-subj', '/CN=liaison test CA');
  openssl('req', '-x509', ...ec, '-keyout', path('other-ca.key'), '-out', path('other-ca.crt'), '-days', '1', '-subj', '/CN=another CA');
  openssl('req', ...ec, '-keyout', path('server.key'), '-out', path('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(path('san.cnf'), `subjectAltName=${subjectAltName}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.crt'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-out',
    path('server.crt'),
    '-days',
    '1',
    '-extfile',
    path('san.cnf'),
  );
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
