import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../../lib/config/env.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import type { RedisClient } from '../../lib/redis/index.ts';
import { AGENCY_CODE } from '../../lib/domain/index.ts';

/** Registrations that hold for every agency are filed under this scope. */
export const EVERY_AGENCY = '*';
/** Most operations one agency may have registered in a gateway without Redis. */
const MEMORY_LIMIT_PER_AGENCY = 10_000;
/** Bodies found in Redis are kept in process: a hash names one body forever. */
const SEEN_LIMIT = 20_000;

/** A registered operation: the sha256 hex of its body is its id. */
export interface TrustedDocument {
  id: string;
  name: string | null;
  body: string;
}

export const sha256Hex = (body: string): string => createHash('sha256').update(body).digest('hex');

/** An Apollo persisted-query manifest, optionally naming the agencies each operation is for. */
export const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest').optional(),
  version: z.literal(1).optional(),
  operations: z
    .array(
      z.object({
        id: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'must be the sha256 hex of body')
          .optional(),
        name: z.string().max(200).optional(),
        type: z.enum(['query', 'mutation', 'subscription']).optional(),
        body: z.string().min(1).max(100_000),
        /** Agencies the operation is registered for; absent means every agency (manifest file only). */
        agencies: z.array(z.string().regex(AGENCY_CODE)).optional(),
      }),
    )
    .max(1_000),
});
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * Operations partners registered, by agency: in Redis (a hash per agency, shared by every replica)
 * with REDIS_URL, else in this process. The manifest file's operations are always held in process,
 * so they run even while Redis is away.
 */
export class TrustedDocuments {
  private readonly local = new Map<string, Map<string, TrustedDocument>>();
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly redis: RedisClient | undefined,
    private readonly keyPrefix: string,
    private readonly log: Logger,
  ) {}

  /** Loads TRUSTED_DOCUMENTS_FILE; a bad file stops start-up naming the variable. */
  loadManifest(file: string): void {
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      throw new ConfigError(
        `Invalid configuration:\n  TRUSTED_DOCUMENTS_FILE: ${file} is not a persisted-query manifest (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      );
    }
    for (const operation of manifest.operations) {
      const document = { id: sha256Hex(operation.body), name: operation.name ?? null, body: operation.body };
      if (operation.id && operation.id !== document.id)
        throw new ConfigError(
          `Invalid configuration:\n  TRUSTED_DOCUMENTS_FILE: operation ${operation.name ?? operation.id} has an id that is not the sha256 of its body`,
        );
      for (const scope of operation.agencies ?? [EVERY_AGENCY]) this.scope(scope).set(document.id, document);
    }
    this.log.info({ operations: manifest.operations.length }, 'trusted documents loaded');
  }

  /** The body registered under `id` for the agency (or for every agency); undefined when none. */
  async find(agency: string | undefined, id: string): Promise<string | undefined> {
    const scopes = agency ? [agency, EVERY_AGENCY] : [EVERY_AGENCY];
    for (const scope of scopes) {
      const local = this.local.get(scope)?.get(id);
      if (local) return local.body;
    }
    const seen = this.seen.get(`${agency}:${id}`);
    if (seen !== undefined || !this.redis) return seen;
    // One HGET per scope, not a pipeline: on a cluster the two hashes may live on different nodes.
    const redis = this.redis;
    const results = await Promise.allSettled(scopes.map((scope) => redis.hget(this.key(scope), id)));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed && results.every((result) => result.status === 'rejected')) {
      // Redis away: only the manifest and bodies this replica has seen are recognised meanwhile.
      const reason = (failed as PromiseRejectedResult).reason as unknown;
      this.log.warn({ err: reason instanceof Error ? reason.message : String(reason) }, 'trusted documents: Redis unavailable');
      return undefined;
    }
    const found = results.map((result) => (result.status === 'fulfilled' ? result.value : undefined)).find((value) => value != null);
    if (!found) return undefined;
    const body = (JSON.parse(found) as TrustedDocument).body;
    if (this.seen.size >= SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(`${agency}:${id}`, body);
    return body;
  }

  /** Registers operations for one agency; registering the same body again is harmless. */
  async register(agency: string, documents: readonly TrustedDocument[]): Promise<void> {
    if (this.redis) {
      await this.redis.hset(this.key(agency), Object.fromEntries(documents.map((document) => [document.id, JSON.stringify(document)])));
      return;
    }
    const scope = this.scope(agency);
    if (scope.size + documents.filter((document) => !scope.has(document.id)).length > MEMORY_LIMIT_PER_AGENCY) {
      throw new RangeError(`at most ${MEMORY_LIMIT_PER_AGENCY} operations may be registered per agency`);
    }
    for (const document of documents) scope.set(document.id, document);
  }

  /** The operations registered for one agency (not those for every agency). */
  async list(agency: string): Promise<{ id: string; name: string | null }[]> {
    const stored = this.redis
      ? Object.values(await this.redis.hgetall(this.key(agency))).map((value) => JSON.parse(value) as TrustedDocument)
      : [];
    const documents = new Map([...(this.local.get(agency)?.values() ?? []), ...stored].map(({ id, name }) => [id, { id, name }]));
    return [...documents.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  private key(scope: string): string {
    return `${this.keyPrefix}:gateway:trusted-documents:${scope}`;
  }

  private scope(scope: string): Map<string, TrustedDocument> {
    let documents = this.local.get(scope);
    if (!documents) this.local.set(scope, (documents = new Map()));
    return documents;
  }
}
