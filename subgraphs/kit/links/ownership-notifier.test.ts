import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { decodeJwt, UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER } from '../../../lib/identity/internal-identity.ts';
import { readSupergraphConfig } from '../../../lib/config/supergraph-config.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../../../lib/observability/request-metadata.ts';
import { FULL_ACCESS } from '../../../test/support/identity.ts';
import { memoryLog } from '../../../test/support/memory-log.ts';
import { type Db, openDb } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { NO_NOTIFIER } from '../write/write-runner.ts';
import { OwnershipNotifier, ownershipNotifierFor, type OwnershipNotifierOptions } from './ownership-notifier.ts';

interface Received {
  identity: string | undefined;
  onward: string | undefined;
  requestId: string | undefined;
  body: { query: string; variables: { entity: string; ids: string[] } };
}

/** A stand-in snapshot keeper over real HTTP: answers each request with the next of `answers` (the last repeats). */
async function keeper(answers: { status: number; body: unknown }[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({
        identity: req.headers[IDENTITY_HEADER] as string | undefined,
        onward: req.headers[DELEGATED_IDENTITY_HEADER] as string | undefined,
        requestId: req.headers[GATEWAY_REQUEST_ID_HEADER] as string | undefined,
        body: JSON.parse(text),
      });
      const answer = answers[Math.min(received.length, answers.length) - 1]!;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, received };
}

const servers: Server[] = [];
const stops: (() => Promise<void>)[] = [];
let db: Db;
beforeAll(async () => {
  db = await openDb({});
  await migrate(db, fileURLToPath(new URL('../migrations', import.meta.url)), 'kit/');
});
afterAll(() => db.close());
beforeEach(() => db.exec('delete from ownership_notification'));
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const token = () => new UnsecuredJWT({ agency: 'FRPN00001' }).setExpirationTime('30s').encode();
const DELIVERED = { status: 200, body: { data: { refreshLinkSnapshots: 1 } } };
const DOWN = { status: 503, body: { errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } };
const REFUSED = { status: 401, body: { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] } };
const FAST: OwnershipNotifierOptions = { pollMs: 20, backoff: { firstMs: 20, maxMs: 40 }, timeoutMs: 1_000 };

/** A notifier with its relay running on the test database. */
function started(keepers: { name: string; url: string }[], options: OwnershipNotifierOptions, log = memoryLog().log): OwnershipNotifier {
  const notifier = new OwnershipNotifier(
    'wanted-persons',
    keepers.map(({ name, url }) => ({ name, url: () => url })),
    log,
    options,
  );
  const relay = notifier.startRelay(db);
  stops.push(() => relay.stop());
  return notifier;
}

/** A write's part: the notifications in a committed transaction, then the first delivery. */
async function write(notifier: OwnershipNotifier, ids: string[], identityFor = (_: string) => ({ identity: '', onward: '' })) {
  const seqs = await db.transaction((tx) =>
    notifier.enqueue(
      tx,
      ids.map((id) => ({ entity: 'WantedPerson', id })),
      FULL_ACCESS,
    ),
  );
  await notifier.notify(seqs, identityFor);
}

const pending = async () => (await db.query<{ n: number }>('select count(*)::int as n from ownership_notification'))[0]!.n;

/** Waits until `condition` holds, for at most 5 s. */
async function eventually(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 5_000; !(await condition());) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('OwnershipNotifier', () => {
  it("delivers a write's notifications at once to every keeper, with the identities minted for the request, and forgets them once taken", async () => {
    const [a, b] = await Promise.all([keeper([DELIVERED]), keeper([DELIVERED])]);
    const notifier = started(
      [
        { name: 'a', url: a.url },
        { name: 'b', url: b.url },
      ],
      { ...FAST, pollMs: 60_000, identityKey: null },
    );
    const identities: Record<string, string> = { a: token(), b: token() };
    const onward: Record<string, string> = { a: token(), b: '' };
    await write(notifier, ['W900000001', 'W900000002'], (name) => ({ identity: identities[name]!, onward: onward[name]! }));
    for (const [name, { received }] of [
      ['a', a],
      ['b', b],
    ] as const) {
      expect(received).toHaveLength(1);
      expect(received[0]!.identity).toBe(identities[name]);
      expect(received[0]!.onward).toBe(onward[name] || undefined);
      expect(received[0]!.body.query).toContain('refreshLinkSnapshots(entity: $entity, ids: $ids)');
      expect(received[0]!.body.variables).toEqual({ entity: 'WantedPerson', ids: ['W900000001', 'W900000002'] });
    }
    expect(await pending()).toBe(0);
  });

  it('retries a keeper that is down, with backoff and a fresh identity pair each time, until it takes the change', async () => {
    const flaky = await keeper([DOWN, DOWN, DOWN, DELIVERED]);
    const memory = memoryLog();
    const notifier = started([{ name: 'case-status', url: flaky.url }], FAST, memory.log);
    await write(notifier, ['W900000003']);
    await eventually(async () => flaky.received.length === 4 && (await pending()) === 0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(flaky.received).toHaveLength(4);
    const minted = flaky.received.map((r) => ({ identity: decodeJwt(r.identity!), onward: decodeJwt(r.onward!), requestId: r.requestId }));
    expect(new Set(minted.map((m) => m.identity.jti)).size).toBe(4);
    for (const { identity, onward, requestId } of minted) {
      expect(identity).toMatchObject({
        aud: 'liaison-subgraph:case-status',
        act: { sub: 'wanted-persons' },
        rid: requestId,
        agency: 'XXTEST001',
      });
      expect(onward).toMatchObject({ aud: 'liaison-subgraph:wanted-persons', act: { sub: 'case-status' }, rid: requestId });
    }
    expect(memory.entries().filter((entry) => entry.level === 40)).toHaveLength(3);
  });

  it('keeps retrying a keeper that refuses, as an error naming the records and never an identity', async () => {
    const refusing = await keeper([REFUSED, REFUSED, DELIVERED]);
    const memory = memoryLog();
    const notifier = started([{ name: 'case-status', url: refusing.url }], FAST, memory.log);
    await write(notifier, ['V900000004']);
    await eventually(async () => (await pending()) === 0);
    const errors = memory.entries().filter((entry) => entry.level === 50);
    expect(errors.map((entry) => [entry.subgraph, entry.ids, entry.attempts])).toEqual([
      ['case-status', ['V900000004'], 1],
      ['case-status', ['V900000004'], 2],
    ]);
    expect(JSON.stringify(memory.entries())).not.toContain(refusing.received[0]!.identity);
  });

  it('stops its relay on close without waiting for the next poll', async () => {
    const notifier = new OwnershipNotifier('wanted-persons', [], memoryLog().log, { pollMs: 600_000 });
    const relay = notifier.startRelay(db);
    const started = Date.now();
    await relay.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('is built only for subgraphs that another one snapshots, per schema/supergraph.yaml', () => {
    const subgraphs = readSupergraphConfig();
    const log = memoryLog().log;
    expect(ownershipNotifierFor('wanted-persons', subgraphs, () => undefined, log)).toBeInstanceOf(OwnershipNotifier);
    expect(ownershipNotifierFor('stolen-property', subgraphs, () => undefined, log)).toBeInstanceOf(OwnershipNotifier);
    expect(ownershipNotifierFor('case-status', subgraphs, () => undefined, log)).toBe(NO_NOTIFIER);
  });
});
