import type { IncomingMessage } from 'node:http';
import { MessageType, type Server as GraphqlWsServer, stringifyMessage } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Caller } from '../../../lib/authz/principal.ts';
import { tokenExpired } from '../../../lib/errors/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import type { FormatError } from '../../feature.ts';
import { closeReason, WS_CLOSE, WS_ENDING } from './close-codes.ts';
import { formatErrors } from './format-result.ts';
import type { Ending, OpenStream, StreamRegistry } from './stream-registry.ts';

/** How long a closing WebSocket may take to finish its close handshake before it is cut. */
export const CLOSE_GRACE_MS = 2_000;

/** One WebSocket's state: its caller once `connection_init` was accepted, and its subscriptions by id. */
export interface WsConnection extends OpenStream {
  caller: Caller | undefined;
  /** Each stops its subscription's stream (nothing more is pulled from the engine) and gives back its partner's slot. */
  readonly subscriptions: Map<string, () => void>;
  /** Cancels the token-expiry timer, once armed. */
  cancelExpiry: () => void;
}

/** What graphql-ws hands every hook about the connection. */
export interface WsExtra {
  socket: WebSocket;
  request: IncomingMessage;
  connection: WsConnection;
}

/** Settings of {@link bindSocket}. */
export interface SocketOptions {
  heartbeatMs: number;
  maxBufferedBytes: number;
  registry: StreamRegistry;
  format: FormatError;
  log: Logger;
}

/**
 * Runs graphql-ws's protocol on one `ws` socket (graphql-ws's own `useServer` would write internal errors
 * to the console and into close reasons, and wait for each send to flush). Pings every heartbeat and cuts a
 * socket that missed the last pong; never waits on a send: past `maxBufferedBytes` waiting in the socket,
 * the subscriber is cut (SLOW_CONSUMER) rather than buffered.
 */
export function bindSocket(socket: WebSocket, request: IncomingMessage, server: GraphqlWsServer<WsExtra>, options: SocketOptions): void {
  const { log, maxBufferedBytes } = options;
  let ending: Promise<void> | undefined;
  const closedSocket = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const connection: WsConnection = {
    caller: undefined,
    subscriptions: new Map(),
    cancelExpiry: () => undefined,
    end: (why: Ending) => (ending ??= end(why)),
  };
  async function end(why: Ending): Promise<void> {
    if (why === 'expired') {
      const payload = formatErrors([tokenExpired()], options.format);
      for (const id of connection.subscriptions.keys()) socket.send(stringifyMessage({ id, type: MessageType.Error, payload }));
    }
    stopAll();
    socket.close(WS_ENDING[why].code, WS_ENDING[why].reason);
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)));
    await Promise.race([closedSocket, cut]);
    clearTimeout(timer);
    socket.terminate();
  }
  const stopAll = () => [...connection.subscriptions.values()].forEach((stop) => stop());
  const untrack = options.registry.track(connection);
  let answered = true;
  const heartbeat = setInterval(() => {
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, options.heartbeatMs);
  socket.on('pong', () => (answered = true));
  socket.on('error', (error) => {
    log.debug({ err: error }, 'subscription WebSocket failed');
    socket.terminate();
  });
  const closed = server.opened(
    {
      protocol: socket.protocol,
      send: async (data) => {
        if (ending || socket.readyState !== socket.OPEN) return;
        socket.send(data);
        if (socket.bufferedAmount > maxBufferedBytes) void connection.end('slow');
      },
      close: (code, reason) => socket.close(code, closeReason(reason ?? '')),
      onMessage: (handle) =>
        socket.on('message', (data: Buffer) => {
          handle(data.toString('utf8')).catch((error: unknown) => {
            log.error({ err: error }, 'unexpected error on a subscription WebSocket');
            socket.close(WS_CLOSE.internal, 'Internal server error');
          });
        }),
    },
    { socket, request, connection },
  );
  socket.once('close', (code, reason) => {
    clearInterval(heartbeat);
    connection.cancelExpiry();
    untrack();
    stopAll();
    void closed(code, reason.toString('utf8'));
  });
}
