import { createHash } from 'node:crypto';
import type { Caller } from '../../../lib/authz/principal.ts';
import { badUserInput, forbidden } from '../../../lib/errors/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { appendEntries } from '../audit/append-entries.ts';
import type { AuditKey } from '../audit/audit-key.ts';
import type { RequestAudit } from '../audit/request-audit.ts';
import type { LookupCache } from '../cache/lookup-cache.ts';
import type { Db, Queryable } from '../db/db.ts';
import type { RecordEventFacts } from '../events/record-change.ts';
import { insertRecordEvents, type OutboxRecord } from '../events/record-event-outbox.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * A record a write changed: audited in its owner's chain, published as a record event (what changed, its
 * jurisdiction and category) in the same transaction, and dropped from the cache after commit.
 */
export interface WrittenRecord extends RecordEventFacts {
  /** Cache entity name, e.g. `WantedPerson`. */
  entity: string;
  id: string;
  /** The owning agency: whose audit chain the write goes to. */
  owner: string;
  /** Other cache keys of the record to drop (e.g. `Vehicle:plate` lookups), before and after the write. */
  alsoInvalidate?: { entity: string; keys: string[] }[];
  /** Its owner, jurisdiction or release decision changed: subgraphs keeping a snapshot of them are told. */
  ownershipChanged?: boolean;
}

/**
 * Tells the subgraphs that keep a snapshot of this subgraph's records' ownership (case-status's links)
 * that some records changed it, on behalf of the writer: kept in the write's transaction, delivered after.
 */
export interface OwnershipChangeNotifier {
  /** In the write's transaction: the notifications to deliver, so they exist if and only if it commits. Answers their ids. */
  enqueue(tx: Queryable, records: readonly { entity: string; id: string }[], caller: Caller): Promise<string[]>;
  /** After commit: a first delivery of those notifications, with the identities the gateway minted for the request. */
  notify(notifications: readonly string[], identityFor: IdentityFor): Promise<void>;
  /** Delivers what is left in `db`'s outbox until stopped. */
  startRelay(db: Db): { stop(): Promise<void> };
}

/**
 * What this subgraph presents to another on the caller's behalf: the identity the gateway minted for that
 * call ('' when it minted none, which that subgraph refuses), and the identities it minted for that
 * subgraph to present in turn (comma-separated, '' for none).
 */
export interface DelegatedIdentity {
  identity: string;
  onward: string;
}

/** The {@link DelegatedIdentity} for a call to the subgraph of that name. */
export type IdentityFor = (subgraph: string) => DelegatedIdentity;

/** Notifies nobody: a subgraph whose records nobody snapshots. */
export const NO_NOTIFIER: OwnershipChangeNotifier = {
  enqueue: async () => [],
  notify: async () => undefined,
  startRelay: () => ({ stop: async () => undefined }),
};

/** What a write did. */
export interface WriteOutcome<R> {
  /** The payload the mutation returns; stored as JSON for idempotent retries. */
  result: R;
  records: WrittenRecord[];
  /** Events the write publishes besides its records' (hits it tells an owner of: hit-events.ts). */
  events?: OutboxRecord[];
  /** What changed, for the audit entry (no free text beyond what the write itself stores). */
  detail: Record<string, unknown>;
}

/** One write, as a mutation resolver describes it. */
export interface WriteSpec<R> {
  /** The mutation's name, recorded as the audit entry's action. */
  action: string;
  idempotencyKey: string;
  /** The validated input: a retry must send the same. */
  input: unknown;
  /** Changes the records inside the transaction; throwing rolls everything back. */
  apply(tx: Queryable): Promise<WriteOutcome<R>>;
  /** Runs after commit (and after cache invalidation), e.g. to tell dependent subgraphs. */
  afterCommit?(outcome: WriteOutcome<R>): Promise<void>;
}

const KEY_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;
/** Longer than a cache fill takes (one read of a few rows), far shorter than any TTL. */
export const RE_INVALIDATE_MS = 1_000;

/**
 * Runs writes for one request: each in one transaction with its idempotency claim, its audit entry, its
 * record events and its ownership notifications, then invalidates the cache once committed. A failure anywhere
 * before commit leaves no record change, no audit entry, no event, no notification and no claim, so the client
 * may retry with the same key.
 */
export class WriteRunner {
  constructor(
    private readonly db: Db,
    private readonly cache: LookupCache,
    private readonly audit: RequestAudit,
    private readonly auditKey: AuditKey,
    private readonly log: Logger,
    private readonly notifier: OwnershipChangeNotifier = NO_NOTIFIER,
    private readonly identityFor: IdentityFor = () => ({ identity: '', onward: '' }),
  ) {}

  /**
   * The stored result when this key already ran this write, checked outside any transaction: for a
   * write that must call another service first (a link asks the record's owner), so that a retry
   * answers with the first result even when that service is now down.
   */
  async replayed<R>(spec: Pick<WriteSpec<R>, 'action' | 'idempotencyKey' | 'input'>): Promise<{ result: R } | null> {
    const { agency, inputHash } = this.claimOf(spec);
    return (await this.prior(this.db, agency, spec.idempotencyKey, inputHash)) as { result: R } | null;
  }

  async run<R>(spec: WriteSpec<R>): Promise<R> {
    const { agency, inputHash } = this.claimOf(spec);
    const done = await this.db.transaction(async (tx) => {
      const claimed = await tx.query(
        `insert into idempotent_write (agency, idempotency_key, action, input_hash) values ($1, $2, $3, $4)
         on conflict (agency, idempotency_key) do nothing returning 1`,
        [agency, spec.idempotencyKey, spec.action, inputHash],
      );
      // The claim exists (a concurrent retry waited here for it to commit): answer with its result.
      if (claimed.length === 0) return { replay: (await this.prior(tx, agency, spec.idempotencyKey, inputHash))?.result };
      const outcome = await spec.apply(tx);
      const result = JSON.parse(JSON.stringify(outcome.result)) as R;
      await tx.query('update idempotent_write set result = $3 where agency = $1 and idempotency_key = $2', [
        agency,
        spec.idempotencyKey,
        JSON.stringify(result),
      ]);
      const detail = canonicalJson({ ...outcome.detail, idempotencyKey: spec.idempotencyKey });
      const byOwner = new Map<string, string[]>();
      for (const record of outcome.records) byOwner.set(record.owner, [...(byOwner.get(record.owner) ?? []), record.id]);
      await appendEntries(
        tx,
        [...byOwner].map(([owner, ids]) => this.audit.draft(owner, 'WRITE', ids, spec.action, detail)),
        this.auditKey,
      );
      const changed = outcome.records.filter((record) => record.ownershipChanged);
      const notifications = await this.notifier.enqueue(tx, changed, this.audit.caller);
      // Last before commit: it takes the outbox's ordering lock. A replay (above) publishes nothing again.
      await insertRecordEvents(tx, [...outcome.records, ...(outcome.events ?? [])]);
      return { outcome, result, notifications };
    });
    if ('replay' in done) return done.replay as R;
    await this.invalidate(done.outcome.records);
    // A read that fetched the old row just before commit may store it after the first delete.
    setTimeout(() => void this.invalidate(done.outcome.records), RE_INVALIDATE_MS).unref();
    // Committed, so the write stands: what this attempt does not deliver, the relay retries.
    await this.notifier
      .notify(done.notifications, this.identityFor)
      .catch((error: unknown) => this.log.warn({ err: error }, 'ownership change left to the notification relay'));
    await spec.afterCommit?.(done.outcome);
    return done.result;
  }

  /** The caller's agency and the input's hash, once the key is known to be well-formed. */
  private claimOf(spec: Pick<WriteSpec<unknown>, 'action' | 'idempotencyKey' | 'input'>): { agency: string; inputHash: string } {
    const agency = this.audit.caller.principal?.agency;
    if (!agency) throw forbidden('Writes need an authenticated partner');
    if (!KEY_PATTERN.test(spec.idempotencyKey)) {
      throw badUserInput('idempotencyKey must be 8 to 100 letters, digits or . _ : - (a UUID is a good choice)', 'idempotencyKey');
    }
    return {
      agency,
      inputHash: createHash('sha256')
        .update(canonicalJson({ action: spec.action, input: spec.input }))
        .digest('hex'),
    };
  }

  /** The committed result of this key, if it ran; the key used for another input is refused. */
  private async prior(q: Queryable, agency: string, key: string, inputHash: string): Promise<{ result: unknown } | null> {
    const [prior] = await q.query<{ input_hash: string; result: unknown }>(
      'select input_hash, result from idempotent_write where agency = $1 and idempotency_key = $2',
      [agency, key],
    );
    if (!prior) return null;
    if (prior.input_hash !== inputHash) {
      throw badUserInput(
        'idempotencyKey was already used by your agency for a different write; use a new key for a new write',
        'idempotencyKey',
      );
    }
    return { result: prior.result };
  }

  /** Committed: drop every cached copy. The cache logs and survives an outage, so this never fails the write. */
  private async invalidate(records: WrittenRecord[]): Promise<void> {
    const keys = new Map<string, Set<string>>();
    const add = (entity: string, ids: string[]) => {
      const set = keys.get(entity) ?? new Set<string>();
      for (const id of ids) set.add(id);
      keys.set(entity, set);
    };
    for (const record of records) {
      add(record.entity, [record.id]);
      for (const extra of record.alsoInvalidate ?? []) add(extra.entity, extra.keys);
    }
    for (const [entity, ids] of keys) {
      await this.cache
        .invalidate(entity, [...ids])
        .catch((error: unknown) => this.log.warn({ err: error, entity }, 'cache invalidation after write failed'));
    }
  }
}
