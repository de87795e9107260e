import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, GraphQLError, type GraphQLSchema } from 'graphql';
import { handleProtocols, makeServer } from 'graphql-ws';
import { WebSocketServer } from 'ws';
import { badUserInput, ErrorCode } from '../../../lib/errors/index.ts';
import type { Logger } from '../../../lib/observability/logger.ts';
import { callerFromHeaders, type PartnerVerifier } from '../../auth/index.ts';
import type { FormatError } from '../../feature.ts';
import { type AdmitOperation, refusalByFeatures } from './admit-operation.ts';
import { admitSubscription, lastEventIdOf } from './admit-subscription.ts';
import { closeReason, WS_CLOSE } from './close-codes.ts';
import { isStream, type SubscriptionEngine, type SubscriptionOutcome, type SubscriptionRequest } from './engine-contract.ts';
import { formatErrors, formatResult } from './format-result.ts';
import { guardedStream } from './guarded-stream.ts';
import { onExpiry, type StreamRegistry } from './stream-registry.ts';
import type { TransportConfig } from './transport-config.ts';
import { bindSocket, type WsExtra } from './ws-connection.ts';
import { headersOfInit } from './ws-credentials.ts';

/** What the WebSocket transport is built from. */
export interface WsTransportOptions {
  config: TransportConfig;
  /** Largest message accepted (MAX_BODY_BYTES); a larger one closes the socket with 1009. */
  maxMessageBytes: number;
  engine: SubscriptionEngine;
  verify: PartnerVerifier;
  registry: StreamRegistry;
  format: FormatError;
  admit: AdmitOperation;
  log: Logger;
}

/** graphql-ws runs what `subscribe` returns: the outcome the engine gave in `onSubscribe`, carried here. */
interface Carried {
  outcome: SubscriptionOutcome;
}
/** graphql-ws wants a schema in the arguments `onSubscribe` returns; the engine owns the real one and nothing reads this. */
const ENGINE_OWNS_THE_SCHEMA = {} as GraphQLSchema;

/** `graphql-transport-ws` on the gateway's HTTP server: credentials from `connection_init`, subscriptions only. */
export function wsTransport(options: WsTransportOptions) {
  const { config, engine, registry, format, log } = options;
  const callerOf = callerFromHeaders(options.verify, log);
  const server = makeServer<Record<string, unknown> | undefined, WsExtra>({
    connectionInitWaitTimeout: config.connectionInitTimeoutMs,
    async onConnect({ connectionParams, extra: { socket, request, connection } }) {
      // Closed here with our reason; graphql-ws's own close that follows `false` finds the socket closing and does nothing.
      const refuse = (code: number, reason: string) => (socket.close(code, closeReason(reason)), false);
      const headers = headersOfInit(connectionParams);
      if (typeof headers === 'string') return refuse(WS_CLOSE.malformedInit, headers);
      try {
        connection.caller = await callerOf(headers, request.socket.remoteAddress);
      } catch (error) {
        const code = error instanceof GraphQLError ? error.extensions.code : undefined;
        if (code === ErrorCode.Unauthenticated) return refuse(WS_CLOSE.authenticationFailed, 'Forbidden: authentication failed');
        if (code === ErrorCode.BadRequest) return refuse(WS_CLOSE.malformedInit, (error as Error).message);
        throw error;
      }
      const { principal } = connection.caller;
      if (principal) connection.cancelExpiry = onExpiry(options.verify.expiresAt(principal), () => void connection.end('expired'));
      return true;
    },
    async onSubscribe({ extra: { connection, request: upgrade } }, id, payload) {
      const lastEventId = lastEventIdOf(payload.extensions?.lastEventId);
      if (lastEventId instanceof Error) return [badUserInput(lastEventId.message, 'extensions.lastEventId')];
      const request: SubscriptionRequest = {
        query: payload.query,
        variables: payload.variables ?? undefined,
        operationName: payload.operationName ?? undefined,
        lastEventId,
      };
      const caller = connection.caller!;
      const refused = await refusalByFeatures(options.admit, caller, upgrade, request);
      if (refused) return [refused];
      const onConnection = { open: connection.subscriptions.size, max: config.perConnection };
      const admitted = admitSubscription(caller, request, registry, { transport: 'WebSocket', onConnection });
      if (Array.isArray(admitted)) return admitted;
      const release = () => {
        admitted.release();
        connection.subscriptions.delete(id);
      };
      connection.subscriptions.set(id, release);
      let outcome: SubscriptionOutcome;
      try {
        outcome = await engine.subscribe(caller, request);
      } catch (error) {
        release();
        return [new GraphQLError('Internal server error', { originalError: error as Error })];
      }
      if (!isStream(outcome)) {
        release();
        // Refused before it streamed: an `error` message, as graphql-ws sends for an invalid operation.
        if (!outcome.data && outcome.errors?.length) return outcome.errors.map((error) => carriedError(error));
      } else {
        const guarded = guardedStream(outcome, release);
        connection.subscriptions.set(id, () => void guarded.return(undefined));
        outcome = guarded;
      }
      const carried: Carried = { outcome };
      return {
        schema: ENGINE_OWNS_THE_SCHEMA,
        document: admitted.document,
        operationName: request.operationName,
        variableValues: request.variables,
        contextValue: carried,
      } satisfies ExecutionArgs;
    },
    subscribe: (args) => (args.contextValue as Carried).outcome as never,
    execute: (args) => (args.contextValue as Carried).outcome as never,
    onNext: (_ctx, _id, _payload, _args, result) => formatResult(result, format),
    onError: (_ctx, _id, _payload, errors) => formatErrors(errors, format),
    onComplete: ({ extra: { connection } }, id) => connection.subscriptions.get(id)?.(),
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes, handleProtocols });
  wss.on('connection', (socket, request: IncomingMessage) => bindSocket(socket, request, server, { ...config, registry, format, log }));
  return {
    /** Takes over an `upgrade` of `/graphql`; refuses it with 503 once the gateway is stopping. */
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      if (registry.closing) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    /** Closes the WebSocket server, once {@link StreamRegistry.closeAll} ended its connections. */
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

/** An error of the engine's result as graphql-ws needs it (its own GraphQLError class), keeping what formatting reads. */
function carriedError(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { path: error.path, extensions: error.extensions, originalError: error });
}
