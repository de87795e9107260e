import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb } from '../../../test/support/databases.ts';
import { bulkInsert } from '../db/bulk-insert.ts';
import type { Db } from '../db/db.ts';
import { countRecords } from './counted.ts';

describe.each(ENGINES)('countRecords on %s', (engine) => {
  let db: Db;
  let release: () => Promise<void>;
  beforeAll(async () => {
    ({ db, release } = await openTestDb(engine, 'counted'));
    await db.exec('create table record (id text primary key, owning_agency text not null, release_mode text not null)');
    const rows = Array.from({ length: 150 }, (_, i) => ({
      id: `R${String(i).padStart(3, '0')}`,
      owning_agency: i % 2 ? 'FRPN00001' : 'DEBKA0001',
      release_mode: i < 6 ? 'REFERENCE_ONLY' : 'ALL_GRANTED',
    }));
    await bulkInsert(db, 'record', ['id', 'owning_agency', 'release_mode'], rows);
  });
  afterAll(() => release?.());

  const count = (where: string) => countRecords(db, { from: 'record', where, params: [], notify: null });

  it('names the reference-only records among those it lists', async () => {
    const counted = await count(`id < 'R010'`);
    expect(counted.total).toBe(10);
    const owners = counted.owners.map(({ owner, referenceOnly, referenceIds }) => ({
      owner,
      referenceOnly,
      referenceIds: [...referenceIds!].sort(),
    }));
    expect(owners.sort((a, b) => a.owner.localeCompare(b.owner))).toEqual([
      { owner: 'DEBKA0001', referenceOnly: 3, referenceIds: ['R000', 'R002', 'R004'] },
      { owner: 'FRPN00001', referenceOnly: 3, referenceIds: ['R001', 'R003', 'R005'] },
    ]);
  });

  it('counts the reference-only records per owner in a total too large to list', async () => {
    const counted = await count('true');
    expect(counted).toEqual({
      total: 150,
      owners: [
        { owner: 'DEBKA0001', count: 75, ids: null, referenceOnly: 3, referenceIds: null },
        { owner: 'FRPN00001', count: 75, ids: null, referenceOnly: 3, referenceIds: null },
      ],
    });
  });
});
