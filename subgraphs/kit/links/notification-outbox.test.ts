import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lib/observability/logger.ts';
import { createTestDatabase, ENGINES } from '../../../test/support/databases.ts';
import { FULL_ACCESS } from '../../../test/support/identity.ts';
import { AuditKey } from '../audit/audit-key.ts';
import { RequestAudit } from '../audit/request-audit.ts';
import { LookupCache } from '../cache/lookup-cache.ts';
import { type Db, openDb } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { WriteRunner, type WrittenRecord } from '../write/write-runner.ts';
import { acknowledgeNotifications, claimNotifications } from './notification-outbox.ts';
import { OwnershipNotifier } from './ownership-notifier.ts';

const KIT_MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
const METADATA = { requestId: null, partnerRequestId: null, operationName: null, operationHash: null };
const log = createLogger('test', 'silent');
const written = (id: string, ownershipChanged = true): WrittenRecord => ({
  entity: 'WantedPerson',
  id,
  owner: 'XXTEST001',
  change: 'RELEASE_CHANGED',
  jurisdiction: 'FR',
  category: 'RED',
  ownershipChanged,
});

/** A keeper that takes every delivery, counting the ids it was told about. */
async function countingKeeper(): Promise<{ url: string; told: string[]; close(): Promise<void> }> {
  const told: string[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      told.push(...(JSON.parse(text) as { variables: { ids: string[] } }).variables.ids);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"refreshLinkSnapshots":1}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return { url, told, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.each(ENGINES)('the ownership-notification outbox on %s', (engine) => {
  // Two handles on one database: two replicas of the owner on PostgreSQL, one embedded database twice on PGlite.
  let db: Db;
  let replica: Db;
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    if (engine === 'pglite') db = replica = await openDb({});
    else {
      const database = await createTestDatabase('ownership_notifications');
      [db, replica] = await Promise.all([openDb({ url: database.url }), openDb({ url: database.url })]);
      drop = database.drop;
    }
    await migrate(db, KIT_MIGRATIONS, 'kit/');
    // A deferred foreign key fails at commit, after everything the write runner inserted.
    await db.exec(`create table parent (id int primary key);
      create table child (parent_id int references parent deferrable initially deferred)`);
  });
  afterAll(async () => {
    await db.close();
    if (replica !== db) await replica.close();
    await drop();
  });
  beforeEach(() => db.exec('delete from ownership_notification'));

  const notifier = new OwnershipNotifier('wanted-persons', [{ name: 'case-status', url: () => undefined }], log);
  const write = (records: WrittenRecord[], key = randomUUID(), fail = false) =>
    new WriteRunner(db, LookupCache.uncached('test'), new RequestAudit(FULL_ACCESS, METADATA), AuditKey.generate(), log, notifier).run({
      action: 'testWrite',
      idempotencyKey: key,
      input: { ids: records.map((record) => record.id) },
      apply: async (tx) => {
        if (fail) await tx.query('insert into child values (1)');
        return { result: { ok: true }, records, detail: {} };
      },
    });
  const rows = () => db.query<{ record_id: string }>('select record_id from ownership_notification order by seq');

  it('keeps one notification per keeper and record whose ownership a committed write changed, and none for a replay', async () => {
    const key = randomUUID();
    await write([written('W1'), written('W2'), written('W3', false)], key);
    await write([written('W1'), written('W2'), written('W3', false)], key);
    expect(await rows()).toEqual([{ record_id: 'W1' }, { record_id: 'W2' }]);
  });

  it('leaves no notification when the write rolls back, even at commit', async () => {
    await expect(write([written('W4')], randomUUID(), true)).rejects.toThrow();
    expect(await rows()).toEqual([]);
  });

  it('lets one relay deliver a record at a time, and keeps a version written meanwhile for the next delivery', async () => {
    await write([written('W5')]);
    const first = await claimNotifications(db, 100, 60_000);
    await write([written('W5')]);
    expect(await claimNotifications(replica, 100, 60_000)).toEqual([]);
    await acknowledgeNotifications(db, 'case-status', 'WantedPerson', new Map([['W5', first[0]!.seq]]));
    const next = await claimNotifications(replica, 100, 60_000);
    expect(next.map((row) => row.record_id)).toEqual(['W5']);
    expect(BigInt(next[0]!.seq)).toBeGreaterThan(BigInt(first[0]!.seq));
  });

  it('delivers every notification until acknowledged with two replicas relaying at once', async () => {
    const keeper = await countingKeeper();
    const ids = Array.from({ length: 250 }, (_, i) => `W${1000 + i}`);
    for (let i = 0; i < ids.length; i += 50) await write(ids.slice(i, i + 50).map((id) => written(id)));
    const options = { pollMs: 50 };
    const relays = [db, replica].map((handle) =>
      new OwnershipNotifier('wanted-persons', [{ name: 'case-status', url: () => keeper.url }], log, options).startRelay(handle),
    );
    try {
      for (const deadline = Date.now() + 10_000; (await rows()).length > 0;) {
        if (Date.now() > deadline) throw new Error('notifications still pending after 10 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
      await keeper.close();
    }
    // No loss; the leases keep two replicas from telling the keeper about one record twice in one go.
    expect(new Set(keeper.told)).toEqual(new Set(ids));
    expect(keeper.told.length).toBeLessThan(ids.length * 2);
  });
});
