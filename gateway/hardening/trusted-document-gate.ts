import type { HTTPGraphQLRequest } from '@apollo/server';
import type { Caller } from '../../lib/authz/principal.ts';
import { persistedQueryNotInList } from '../../lib/errors/index.ts';
import type { HardeningConfig } from './hardening-config.ts';
import { sha256Hex, type TrustedDocuments } from './trusted-documents.ts';

/** Whether the caller may run registered operations only (SAFELIST_AGENCIES, SAFELIST_SUBJECTS). */
export function isSafelisted(config: HardeningConfig, caller: Caller): boolean {
  const { agencies, subjects } = config.safelist;
  if (agencies.includes('*')) return true;
  return !!caller.principal && (agencies.includes(caller.principal.agency) || subjects.includes(caller.principal.subject));
}

/**
 * Trusted documents, applied to the HTTP request before Apollo reads it. A request naming a
 * registered operation by hash alone gets its body filled in, so registered operations run by hash on
 * every replica. A safelisted partner's operation must be registered for its agency (or for every
 * agency), by hash or by exact body, or it is refused 403 `PERSISTED_QUERY_NOT_IN_LIST` before it
 * is parsed. Apollo still checks that a body sent with a hash matches it, so bodies cannot be swapped.
 */
export function trustedDocumentGate(config: HardeningConfig, trusted: TrustedDocuments) {
  return async (caller: Caller, request: HTTPGraphQLRequest): Promise<void> => {
    const operation = operationOf(request);
    const agency = caller.principal?.agency;
    if (!isSafelisted(config, caller)) {
      // Others may run registered operations by hash; full queries skip the lookup.
      if (operation?.hash && operation.query === undefined) operation.fill(await trusted.find(agency, operation.hash));
      return;
    }
    const hash = operation?.hash ?? (operation?.query === undefined ? undefined : sha256Hex(operation.query));
    const body = hash === undefined ? undefined : await trusted.find(agency, hash);
    if (body === undefined) throw persistedQueryNotInList();
    if (operation?.query === undefined) operation?.fill(body);
  };
}

/** The query and persisted-query hash of a single operation, in a JSON body or GET parameters. */
interface OperationFields {
  query: string | undefined;
  hash: string | undefined;
  /**
   * Runs a registered body in place of its hash. The persisted-query extension goes, so Apollo does
   * not copy the body into the automatic persisted-query cache, where any agency could run it by hash.
   */
  fill(body: string | undefined): void;
}

function operationOf(request: HTTPGraphQLRequest): OperationFields | undefined {
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    const extensions = parseObject(params.get('extensions'));
    return {
      query: params.get('query') ?? undefined,
      hash: hashOf(extensions),
      fill(body) {
        if (body === undefined) return;
        const { persistedQuery: _persistedQuery, ...rest } = extensions ?? {};
        params.set('query', body);
        params.set('extensions', JSON.stringify(rest));
        request.search = `?${params}`;
      },
    };
  }
  const body = request.body;
  if (!isObject(body)) return undefined;
  return {
    query: typeof body.query === 'string' ? body.query : undefined,
    hash: hashOf(body.extensions),
    fill(registered) {
      if (registered === undefined) return;
      body.query = registered;
      if (isObject(body.extensions)) delete body.extensions.persistedQuery;
    },
  };
}

function hashOf(extensions: unknown): string | undefined {
  const persisted = isObject(extensions) ? extensions.persistedQuery : undefined;
  return isObject(persisted) && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

function parseObject(json: string | null): Record<string, unknown> | undefined {
  if (json === null) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
