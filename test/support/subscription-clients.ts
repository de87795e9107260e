import { WebSocket } from 'ws';

/** Waits for `promise` at most `ms`, failing with `what` (every wait in these tests is bounded). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>(
    (_resolve, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `condition` every 10 ms for at most `ms`. */
export async function eventually(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A graphql-transport-ws message. */
export interface WsMessage {
  type: string;
  id?: string;
  payload?: any;
}

/** A raw WebSocket speaking graphql-transport-ws by hand, recording everything it receives. */
export interface RawSocket {
  socket: WebSocket;
  messages: WsMessage[];
  pings: number;
  closed: Promise<{ code: number; reason: string }>;
  send(message: WsMessage): void;
  /** The first message (already received or to come) that matches, within `ms`. */
  next(match: (message: WsMessage) => boolean, ms?: number): Promise<WsMessage>;
}

export const wsUrlOf = (gatewayUrl: string) => gatewayUrl.replace(/^http/, 'ws');

export async function openSocket(gatewayUrl: string, protocol = 'graphql-transport-ws'): Promise<RawSocket> {
  const socket = new WebSocket(wsUrlOf(gatewayUrl), protocol);
  const raw: RawSocket = {
    socket,
    messages: [],
    pings: 0,
    closed: new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))),
    send: (message) => socket.send(JSON.stringify(message)),
    next: (match, ms = 5_000) =>
      within(
        new Promise((resolve) => {
          const found = raw.messages.find(match);
          if (found) return resolve(found);
          const listener = (data: Buffer) => {
            const message = JSON.parse(data.toString()) as WsMessage;
            if (!match(message)) return;
            socket.off('message', listener);
            resolve(message);
          };
          socket.on('message', listener);
        }),
        ms,
        'a WebSocket message',
      ),
  };
  socket.on('message', (data: Buffer) => raw.messages.push(JSON.parse(data.toString()) as WsMessage));
  socket.on('ping', () => raw.pings++);
  await within(new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject)), 5_000, 'the WebSocket to open');
  return raw;
}

/** Opens a socket and sends `connection_init` with `payload`; resolves once acknowledged. */
export async function initSocket(gatewayUrl: string, payload: Record<string, unknown>): Promise<RawSocket> {
  const raw = await openSocket(gatewayUrl);
  raw.send({ type: 'connection_init', payload });
  await raw.next((message) => message.type === 'connection_ack');
  return raw;
}
