import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './env.ts';

/** A subgraph's TLS certificate (with its chain) and private key, PEM. */
export interface ServerCertificate {
  cert: Buffer;
  key: Buffer;
}

const invalid = (variable: string, problem: string) => new ConfigError(`Invalid configuration:\n  ${variable}: ${problem}`);

function read(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw invalid(variable, `cannot read ${path} (${(error as Error).message})`);
  }
}

/** The certificates of a PEM file; a file with none, or with a block Node cannot parse, stops start-up. */
function certificatesOf(pem: Buffer, path: string, variable: string): X509Certificate[] {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw invalid(variable, `${path} holds no PEM certificate`);
  try {
    return blocks.map((block) => new X509Certificate(block));
  } catch (error) {
    throw invalid(variable, `${path} holds a certificate that cannot be parsed (${(error as Error).message})`);
  }
}

/**
 * The CA bundle (PEM, one or more certificates) that subgraph certificates must chain to. Read at
 * start-up, so a missing or malformed file stops the process naming `variable` rather than failing
 * every request later (Node would silently ignore a bundle without certificates, and verify nothing).
 */
export function readCaFile(path: string, variable: string): Buffer {
  const pem = read(path, variable);
  certificatesOf(pem, path, variable);
  return pem;
}

/** A certificate and its private key, checked to belong together, so a mismatch stops start-up instead of every handshake. */
export function readServerCertificate(certFile: string, keyFile: string): ServerCertificate {
  const cert = read(certFile, 'TLS_CERT_FILE');
  const key = read(keyFile, 'TLS_KEY_FILE');
  const [leaf] = certificatesOf(cert, certFile, 'TLS_CERT_FILE');
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw invalid('TLS_KEY_FILE', `${keyFile} is not an unencrypted PEM private key (${(error as Error).message})`);
  }
  if (!leaf!.checkPrivateKey(privateKey)) throw invalid('TLS_KEY_FILE', `${keyFile} is not the private key of ${certFile}`);
  return { cert, key };
}
