import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER } from '../../../lib/identity/internal-identity.ts';
import { readSupergraphConfig } from '../../../lib/config/supergraph-config.ts';
import { memoryLog } from '../../../test/support/memory-log.ts';
import { NO_NOTIFIER } from '../write/write-runner.ts';
import { OwnershipNotifier, ownershipNotifierFor } from './ownership-notifier.ts';

interface Received {
  identity: string | undefined;
  onward: string | undefined;
  body: { query: string; variables: { entity: string; ids: string[] } };
}

/** A stand-in snapshot keeper over real HTTP: answers each request with the next of `answers` (the last repeats). */
async function keeper(answers: { status: number; body: unknown }[]): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push({
        identity: req.headers[IDENTITY_HEADER] as string | undefined,
        onward: req.headers[DELEGATED_IDENTITY_HEADER] as string | undefined,
        body: JSON.parse(text),
      });
      const answer = answers[Math.min(received.length, answers.length) - 1]!;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const token = (secondsLeft: number) =>
  new UnsecuredJWT({ agency: 'FRPN00001' }).setExpirationTime(Math.floor(Date.now() / 1000) + secondsLeft).encode();
const DELIVERED = { status: 200, body: { data: { refreshLinkSnapshots: 1 } } };
const DOWN = { status: 503, body: { errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] } };

/** Waits until `condition` holds, for at most 5 s. */
async function eventually(condition: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 5_000; !condition();) {
    if (Date.now() > deadline) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('OwnershipNotifier', () => {
  it('calls refreshLinkSnapshots on every keeper with the identity minted for it and the one it asks back with, awaiting the first delivery', async () => {
    const [a, b] = await Promise.all([keeper([DELIVERED]), keeper([DELIVERED])]);
    const notifier = new OwnershipNotifier(
      [
        { name: 'a', url: () => a.url },
        { name: 'b', url: () => b.url },
      ],
      memoryLog().log,
    );
    const identities: Record<string, string> = { a: token(60), b: token(60) };
    const onward: Record<string, string> = { a: token(60), b: '' };
    await notifier.notify('WantedPerson', ['W900000001', 'W900000002'], (name) => ({ identity: identities[name]!, onward: onward[name]! }));
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
  });

  it('retries a keeper that is down in the background, with backoff, until it takes the change', async () => {
    const flaky = await keeper([DOWN, DOWN, DELIVERED]);
    const memory = memoryLog();
    const notifier = new OwnershipNotifier([{ name: 'case-status', url: () => flaky.url }], memory.log, { retryDelaysMs: [20, 40, 80] });
    const identity = token(60);
    await notifier.notify('WantedPerson', ['W900000003'], () => ({ identity, onward: '' }));
    expect(flaky.received).toHaveLength(1);
    await eventually(() => flaky.received.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(flaky.received).toHaveLength(3);
    expect(memory.entries().filter((entry) => entry.level! >= 50)).toEqual([]);
  });

  it('gives up on a refusal at once, and on an outage once the identity is about to expire, logging the ids and never the identity', async () => {
    const refusing = await keeper([
      { status: 401, body: { errors: [{ message: 'Unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] } },
    ]);
    const down = await keeper([DOWN]);
    const memory = memoryLog();
    const notifier = new OwnershipNotifier(
      [
        { name: 'refusing', url: () => refusing.url },
        { name: 'down', url: () => down.url },
      ],
      memory.log,
      { retryDelaysMs: Array(20).fill(200) },
    );
    const identity = token(4);
    await notifier.notify('PropertyItem', ['V900000004'], () => ({ identity, onward: '' }));
    await eventually(() => memory.entries().filter((entry) => entry.level === 50).length === 2);
    expect(refusing.received).toHaveLength(1);
    // 3-4 s left, 2 s kept in reserve: the first attempt and the retries that fit in the 1-2 s between.
    expect(down.received.length).toBeGreaterThanOrEqual(4);
    expect(down.received.length).toBeLessThanOrEqual(11);
    const errors = memory.entries().filter((entry) => entry.level === 50);
    expect(errors.map((entry) => [entry.subgraph, entry.ids])).toEqual(
      expect.arrayContaining([
        ['refusing', ['V900000004']],
        ['down', ['V900000004']],
      ]),
    );
    expect(JSON.stringify(memory.entries())).not.toContain(identity);
  });

  it('is built only for subgraphs that another one snapshots, per schema/supergraph.yaml', () => {
    const subgraphs = readSupergraphConfig();
    const log = memoryLog().log;
    expect(ownershipNotifierFor('wanted-persons', subgraphs, () => undefined, log)).toBeInstanceOf(OwnershipNotifier);
    expect(ownershipNotifierFor('stolen-property', subgraphs, () => undefined, log)).toBeInstanceOf(OwnershipNotifier);
    expect(ownershipNotifierFor('case-status', subgraphs, () => undefined, log)).toBe(NO_NOTIFIER);
  });
});
