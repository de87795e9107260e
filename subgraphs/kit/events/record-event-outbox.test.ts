import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conflict } from '../../../lib/errors/index.ts';
import { createLogger } from '../../../lib/observability/logger.ts';
import { ENGINES, openTestDb } from '../../../test/support/databases.ts';
import { FULL_ACCESS } from '../../../test/support/identity.ts';
import { AuditKey } from '../audit/audit-key.ts';
import { RequestAudit } from '../audit/request-audit.ts';
import { LookupCache } from '../cache/lookup-cache.ts';
import type { Db, Queryable } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { WriteRunner, type WrittenRecord } from '../write/write-runner.ts';
import { RecordEventLog } from './record-event-log.ts';
import { insertRecordEvents } from './record-event-outbox.ts';

const KIT_MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
const METADATA = { requestId: null, partnerRequestId: null, operationName: null, operationHash: null };
const written = (id: string, change: WrittenRecord['change'] = 'CREATED'): WrittenRecord => ({
  entity: 'WantedPerson',
  id,
  owner: 'XXTEST001',
  change,
  jurisdiction: 'FR',
  category: 'RED',
});

describe.each(ENGINES)('the record-event outbox on %s', (engine) => {
  let db: Db;
  let release: () => Promise<void>;
  let events: RecordEventLog;
  beforeAll(async () => {
    ({ db, release } = await openTestDb(engine, 'record_event_outbox'));
    await migrate(db, KIT_MIGRATIONS, 'kit/');
    // A deferred foreign key fails at commit, after everything the write runner inserted.
    await db.exec(`create table parent (id int primary key);
      create table child (parent_id int references parent deferrable initially deferred)`);
    events = new RecordEventLog(db);
  });
  afterAll(() => release());
  beforeEach(() => db.exec('delete from record_event; delete from record_event_pruned'));

  const runner = () =>
    new WriteRunner(
      db,
      LookupCache.uncached('test'),
      new RequestAudit(FULL_ACCESS, METADATA),
      AuditKey.generate(),
      createLogger('test', 'silent'),
    );
  const write = (records: WrittenRecord[], key = randomUUID(), apply: (tx: Queryable) => Promise<void> = async () => undefined) =>
    runner().run({
      action: 'testWrite',
      idempotencyKey: key,
      input: { ids: records.map((record) => record.id) },
      apply: async (tx) => {
        await apply(tx);
        return { result: { ok: true }, records, detail: {} };
      },
    });
  const stored = () => db.query<{ record_id: string }>('select record_id from record_event order by seq');

  it('inserts exactly one event per written record with the write, carrying ids and ownership only', async () => {
    const before = new Date();
    await write([written('W900000001')]);
    await write([written('W900000002', 'AMENDED'), { ...written('W900000003', 'RELEASE_CHANGED'), category: null }]);
    const { events: page, prunedThrough } = await events.after(0, 10);
    expect(prunedThrough).toBe(0);
    expect(page.map(({ seq: _seq, at: _at, ...rest }) => rest)).toEqual([
      { entity: 'WantedPerson', recordId: 'W900000001', change: 'CREATED', owningAgency: 'XXTEST001', jurisdiction: 'FR', category: 'RED' },
      { entity: 'WantedPerson', recordId: 'W900000002', change: 'AMENDED', owningAgency: 'XXTEST001', jurisdiction: 'FR', category: 'RED' },
      {
        entity: 'WantedPerson',
        recordId: 'W900000003',
        change: 'RELEASE_CHANGED',
        owningAgency: 'XXTEST001',
        jurisdiction: 'FR',
        category: null,
      },
    ]);
    expect(page[0]!.seq).toBeLessThan(page[1]!.seq);
    expect(new Date(page[0]!.at).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);
    expect(await events.latest()).toBe(page[2]!.seq);
  });

  it('inserts none for a write refused inside its transaction (CONFLICT on expectedVersion)', async () => {
    const refused = write([written('W900000004')], randomUUID(), () =>
      Promise.reject(conflict('changed since version 1', { currentVersion: 2 })),
    );
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await stored()).toEqual([]);
  });

  it('inserts none for a write whose commit fails after the event was inserted', async () => {
    const failing = write([written('W900000005')], randomUUID(), async (tx) => {
      await tx.query('insert into child (parent_id) values (42)');
    });
    await expect(failing).rejects.toThrow(/foreign key/);
    expect(await stored()).toEqual([]);
  });

  it('publishes nothing again for an idempotent retry', async () => {
    const key = randomUUID();
    await write([written('W900000006')], key);
    await write([written('W900000006')], key);
    expect(await stored()).toEqual([{ record_id: 'W900000006' }]);
  });

  it('numbers events in commit order: a write that drew its seq later cannot be read before an earlier one', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedFirst = new Promise<void>((resolve) => (inserted = resolve));
    const first = db.transaction(async (tx) => {
      await insertRecordEvents(tx, [written('W900000007')]);
      inserted();
      await held;
    });
    await insertedFirst;
    const second = write([written('W900000008')]);
    // The second write queues on the ordering lock until the first commits (on PGlite, one connection
    // serialises every transaction, and a read would queue behind the open one too).
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (engine === 'postgres') expect(await events.after(0, 10)).toMatchObject({ events: [] });
    release();
    await Promise.all([first, second]);
    expect((await events.after(0, 10)).events.map((event) => event.recordId)).toEqual(['W900000007', 'W900000008']);
  });

  it('deletes events past retention in bounded batches, and marks how far it deleted', async () => {
    await write([written('W900000009'), written('W900000010'), written('W900000011')]);
    const [first, second, third] = (await events.after(0, 10)).events;
    await db.query(`update record_event set occurred_at = now() - interval '25 hours' where seq <= $1`, [second!.seq]);
    expect(await events.prune(24, 1)).toBe(1);
    expect(await events.prune(24, 10)).toBe(1);
    expect(await events.prune(24, 10)).toBe(0);
    const page = await events.after(first!.seq - 1, 10);
    expect(page).toMatchObject({ prunedThrough: second!.seq, events: [{ seq: third!.seq }] });
  });
});
