import { z } from 'zod';

/**
 * SUBGRAPH_ALLOW_HTTP: `true` lets a production gateway or subgraph use plain HTTP between the
 * gateway and the subgraphs off this machine, for deployments where something else encrypts that
 * link (a service mesh's mutual TLS). Off by default: the link carries gateway-signed identities and
 * every record disclosed.
 */
export const allowHttpSchema = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

/** Why production refuses a plain link; the variable it is reported under says which. */
export const PLAIN_LINK_REFUSED =
  'production needs TLS between the gateway and a subgraph off this machine (docs/operations.md); ' +
  'set SUBGRAPH_ALLOW_HTTP=true only if something else encrypts that link';

/** A host name or address that never leaves this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** An http:// URL to another machine: what it carries crosses a network in clear. */
export const isPlainRemoteUrl = (url: string): boolean => {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname);
};
