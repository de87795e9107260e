import { WebSocket } from 'ws';
import { signDevToken } from '../lib/identity/dev-token.ts';
import { FULL_PARTNER, TEST_PURPOSE } from '../test/support/tokens.ts';

// The subscribers of the subscription benchmark, in a process of their own (forked by
// bench/scenarios/subscriptions.ts), so that the gateway's memory is not mixed with theirs. Driven
// over IPC: `open`, `status`, `report`, `close`; every wait is bounded.

/** What the parent sends. */
export type Command =
  | { type: 'open'; url: string; count: number; query: string; subjectPrefix: string }
  | { type: 'status'; afterSeq: number }
  | { type: 'report'; afterSeq: number; expected: number }
  | { type: 'close' };

/** One subscriber's receipts: event seq, receipt time and the event's `at`, both epoch ms. */
interface Subscriber {
  socket: WebSocket;
  seqs: number[];
  receivedAt: number[];
  at: number[];
  ended: string | undefined;
}

const subscribers: Subscriber[] = [];
let firstError: string | undefined;
const send = (message: unknown) => process.send!(message);
const note = (error: string) => (firstError ??= error);

function openOne(url: string, query: string, subject: string): Promise<Subscriber | undefined> {
  return signDevToken({ ...FULL_PARTNER, subject }).then(
    (token) =>
      new Promise((resolve) => {
        const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        const subscriber: Subscriber = { socket, seqs: [], receivedAt: [], at: [], ended: undefined };
        const timer = setTimeout(() => {
          note(`${subject}: no connection_ack within 30 s`);
          socket.terminate();
          resolve(undefined);
        }, 30_000);
        socket.once('error', (error) => {
          clearTimeout(timer);
          note(`${subject}: ${error.message}`);
          resolve(undefined);
        });
        socket.once('open', () =>
          socket.send(
            JSON.stringify({
              type: 'connection_init',
              payload: {
                authorization: `Bearer ${token}`,
                'liaison-purpose': TEST_PURPOSE.code,
                'liaison-purpose-reference': TEST_PURPOSE.reference,
              },
            }),
          ),
        );
        socket.once('close', (code, reason) => {
          subscriber.ended = `closed ${code} ${reason.toString()}`;
          note(`${subject}: ${subscriber.ended}`);
        });
        socket.on('message', (data: Buffer) => {
          const receivedAt = Date.now();
          const message = JSON.parse(data.toString()) as { type: string; payload?: any };
          if (message.type === 'connection_ack') {
            clearTimeout(timer);
            socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query } }));
            resolve(subscriber);
          } else if (message.type === 'next') {
            const event = message.payload?.data?.wantedPersonEvents;
            if (!event) return note(`${subject}: ${JSON.stringify(message.payload).slice(0, 200)}`);
            subscriber.seqs.push(Number(event.id));
            subscriber.receivedAt.push(receivedAt);
            subscriber.at.push(Date.parse(event.at));
          } else if (message.type === 'error' || message.type === 'complete') {
            subscriber.ended = `${message.type} ${JSON.stringify(message.payload ?? null).slice(0, 200)}`;
            note(`${subject}: ${subscriber.ended}`);
          } else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
        });
      }),
  );
}

async function open(url: string, count: number, query: string, subjectPrefix: string) {
  // 25 handshakes at a time: a thousand at once would mostly measure the listen backlog.
  for (let next = 0; next < count;) {
    const batch = Array.from({ length: Math.min(25, count - next) }, (_, i) => openOne(url, query, `${subjectPrefix}-${next + i}`));
    next += batch.length;
    for (const subscriber of await Promise.all(batch)) if (subscriber) subscribers.push(subscriber);
  }
}

function report(afterSeq: number, expected: number) {
  const latencies: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let maxLost = 0;
  let maxDuplicated = 0;
  let first = Infinity;
  let last = 0;
  const union = new Set<number>();
  for (const subscriber of subscribers) {
    const seen = new Set<number>();
    let measured = 0;
    subscriber.seqs.forEach((seq, i) => {
      if (seq <= afterSeq) return;
      measured += 1;
      if (seen.has(seq)) return;
      seen.add(seq);
      union.add(seq);
      latencies.push(subscriber.receivedAt[i]! - subscriber.at[i]!);
      first = Math.min(first, subscriber.receivedAt[i]!);
      last = Math.max(last, subscriber.receivedAt[i]!);
    });
    const missing = Math.max(0, expected - seen.size);
    const extra = measured - seen.size;
    lost += missing;
    duplicated += extra;
    maxLost = Math.max(maxLost, missing);
    maxDuplicated = Math.max(maxDuplicated, extra);
  }
  latencies.sort((a, b) => a - b);
  return {
    type: 'report',
    subscribers: subscribers.length,
    deliveries: latencies.length,
    distinctEvents: union.size,
    lost,
    duplicated,
    maxLost,
    maxDuplicated,
    ended: subscribers.filter((subscriber) => subscriber.ended).length,
    firstReceiptAt: first,
    lastReceiptAt: last,
    latencies: [0.5, 0.99, 1].map((q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0),
    firstError,
  };
}

process.on('message', (command: Command) => {
  if (command.type === 'open')
    void open(command.url, command.count, command.query, command.subjectPrefix).then(() =>
      send({ type: 'opened', count: subscribers.length, firstError }),
    );
  else if (command.type === 'status') {
    // The fewest events past `afterSeq` any subscriber has, and the highest seq any has seen.
    let min = Infinity;
    let maxSeq = 0;
    for (const { seqs } of subscribers) {
      min = Math.min(min, seqs.filter((seq) => seq > command.afterSeq).length);
      maxSeq = Math.max(maxSeq, seqs.at(-1) ?? 0);
    }
    send({ type: 'status', min: Number.isFinite(min) ? min : 0, maxSeq });
  } else if (command.type === 'report') send(report(command.afterSeq, command.expected));
  else {
    for (const subscriber of subscribers) subscriber.socket.terminate();
    process.exit(0);
  }
});
// A parent that dies leaves no orphan: the IPC channel closes with it.
process.on('disconnect', () => process.exit(0));
