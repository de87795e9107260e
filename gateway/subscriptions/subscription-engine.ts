import { createHash, randomUUID } from 'node:crypto';
import type { ApolloGateway } from '@apollo/gateway';
import { type ExecutionResult, parse } from 'graphql';
import type { Dispatcher } from 'undici';
import { FieldRules } from '../../lib/authz/field-rules.ts';
import type { Caller } from '../../lib/authz/principal.ts';
import type { IdentitySigner } from '../../lib/identity/internal-identity.ts';
import type { Logger } from '../../lib/observability/logger.ts';
import { matches } from './event-filter.ts';
import { eventRoutes, type FeedSource } from './event-routes.ts';
import { feedReader } from './feed-client.ts';
import { MergedStream } from './merged-stream.ts';
import { type Authorization, type PreparedOwnerSubscription, prepareSubscription, type ServedSchema } from './prepare-subscription.ts';
import type { RecordEvent } from './record-event.ts';
import { type ExecuteAs, resolveEvent } from './resolve-event.ts';
import { resolveOwnerEvent, stampPosition } from './resolve-owner-event.ts';
import { retryUndecided } from './retry-undecided.ts';
import { delay, SharedFeed } from './shared-feed.ts';
import type { SubscribeRequest } from './subscribe-request.ts';
import type { EngineConfig } from './engine-config.ts';
import { SubscriberStream } from './subscriber-stream.ts';

/** How long a new subscription waits for its feed to know where "now" is before it is handed out anyway. */
const FEED_POSITION_WAIT_MS = 2_000;

/** What the engine is built from. */
export interface SubscriptionEngineOptions {
  /** The undecorated gateway: the engine follows its schema (re)loads, to validate and to route. */
  gateway: Pick<ApolloGateway, 'onSchemaLoadOrUpdate'>;
  authorization: Authorization;
  config: EngineConfig;
  /** `<NAME>_URL` per subgraph; a subgraph without one is reached at the supergraph's routing URL. */
  subgraphUrls: Record<string, string>;
  /** Signs the gateway's own identity to each subgraph's feed. */
  signer: IdentitySigner;
  /** The gateway's subgraph pool (SUBGRAPH_CA_FILE applies to feeds as to fetches). */
  dispatcher: Dispatcher;
  execute: ExecuteAs;
  /** Counts each event resolved for a subscriber (the gateway's metrics). */
  onResolved?: (outcome: 'delivered' | 'withheld', at: string) => void;
  log: Logger;
}

/**
 * The gateway's subscriptions, without a transport: one feed connection per subgraph for the whole
 * process, fanned out to subscribers, and each event resolved through the federation as each subscriber.
 */
export class SubscriptionEngine {
  private served: ServedSchema | undefined;
  private readonly feeds = new Map<string, SharedFeed>();
  /** Each subscription open: a feed's stream, or a merged one. */
  private readonly streams = new Set<SubscriberStream | MergedStream>();

  constructor(private readonly options: SubscriptionEngineOptions) {
    options.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      const supergraph = parse(coreSupergraphSdl);
      this.served = { apiSchema, rules: new FieldRules(supergraph), routes: eventRoutes(apiSchema, supergraph) };
    });
  }

  /** See {@link Subscribe}. */
  readonly subscribe = async (caller: Caller, request: SubscribeRequest) => {
    const served = this.served;
    if (!served) throw new Error('subscription before the supergraph loaded');
    const prepared = prepareSubscription(served, this.options.authorization, caller, request);
    if (!('route' in prepared)) return prepared;
    if (prepared.kind === 'owner') return this.ownerStream(caller, prepared);
    const meta = {
      operationName: prepared.operationName,
      operationHash: createHash('sha256').update(request.query).digest('hex'),
      requestId: randomUUID(),
    };
    const { stream } = await this.feedStream(prepared.route.feeds[0]!, prepared.after, true, {
      wanted: (event) => prepared.route.entities.has(event.entity) && matches(prepared.filter, event),
      resolve: (event, signal) =>
        retryUndecided(
          () => resolveEvent(prepared, caller, event, this.options.execute, meta),
          this.options.config.backoff,
          this.options.config.eventRetries,
          signal,
        ),
    });
    return stream;
  };

  /** An owner's own events from every feed, merged into one stream. */
  private async ownerStream(caller: Caller, prepared: PreparedOwnerSubscription): Promise<MergedStream> {
    const { route } = prepared;
    const parts = await Promise.all(
      route.feeds.map(async (source) => {
        const { stream, origin } = await this.feedStream(source, prepared.after?.get(source.subgraph), false, {
          wanted: (event) => route.entities.has(event.entity) && matches(prepared.filter, event),
          resolve: async (event) => resolveOwnerEvent(prepared, caller, event, source.subgraph),
        });
        return { subgraph: source.subgraph, stream, origin };
      }),
    );
    const merged: MergedStream = new MergedStream(parts, stampPosition(prepared), () => this.streams.delete(merged));
    this.streams.add(merged);
    return merged;
  }

  /**
   * One subscriber's stream over one subgraph's feed, live from now or resumed `after` a seq, and the
   * position it starts after (undefined: the feed did not tell in time). `tracked`: counted and closed
   * by the engine itself, rather than through the merged stream it is part of.
   */
  private async feedStream(
    source: FeedSource,
    after: number | undefined,
    tracked: boolean,
    events: { wanted(event: RecordEvent): boolean; resolve(event: RecordEvent, signal: AbortSignal): Promise<ExecutionResult | undefined> },
  ): Promise<{ stream: SubscriberStream; origin: number | undefined }> {
    const feed = this.feedOf(source.subgraph, source.subgraphUrl);
    const known = feed.at;
    const abort = new AbortController();
    const stream: SubscriberStream = new SubscriberStream({
      wanted: events.wanted,
      resolve: async (event) => {
        const result = await events.resolve(event, abort.signal);
        this.options.onResolved?.(result ? 'delivered' : 'withheld', event.at);
        return result;
      },
      maxQueue: this.options.config.maxQueue,
      after,
      release: () => {
        abort.abort();
        feed.remove(stream.liveListener);
        this.streams.delete(stream);
      },
    });
    if (tracked) this.streams.add(stream);
    // Live first, then the catch-up read: the two overlap rather than leave a gap between them.
    feed.add(stream.liveListener);
    if (after !== undefined) {
      void this.catchUp(stream, source.subgraph, source.subgraphUrl, after, abort.signal);
      return { stream, origin: after };
    }
    await feed.positioned(FEED_POSITION_WAIT_MS);
    return { stream, origin: known ?? feed.origin };
  }

  /** Subscriptions open now. */
  get open(): number {
    return this.streams.size;
  }

  /** Ends every stream (the gateway is stopping) and closes the feeds. */
  close(): void {
    for (const stream of [...this.streams]) void stream.return();
    for (const feed of this.feeds.values()) feed.stop();
  }

  private feedOf(subgraph: string, routingUrl: string): SharedFeed {
    let feed = this.feeds.get(subgraph);
    if (!feed) {
      const { signer, dispatcher, log, config } = this.options;
      const url = this.options.subgraphUrls[subgraph] ?? routingUrl;
      feed = new SharedFeed(subgraph, feedReader(subgraph, url, signer, dispatcher), config.backoff, log);
      this.feeds.set(subgraph, feed);
    }
    return feed;
  }

  /** A resumed subscriber's own read from its position, until it meets the live feed (or the stream ends). */
  private async catchUp(stream: SubscriberStream, subgraph: string, routingUrl: string, after: number, signal: AbortSignal): Promise<void> {
    const { signer, dispatcher, log, config } = this.options;
    const read = feedReader(subgraph, this.options.subgraphUrls[subgraph] ?? routingUrl, signer, dispatcher);
    const reading = new AbortController();
    signal.addEventListener('abort', () => reading.abort(), { once: true });
    let position = after;
    for (let failures = 0; stream.catchingUp && !signal.aborted; failures++) {
      try {
        const end = await read(position, reading.signal, (event) => {
          position = Math.max(position, event.seq);
          stream.catchUpEvent(event);
          if (!stream.catchingUp) reading.abort();
        });
        if (end === 'missed') return stream.catchUpMissed();
      } catch (error) {
        if (!stream.catchingUp || signal.aborted) return;
        log.warn({ subgraph, err: error, after: position }, 'record-event catch-up read failed; retrying');
      }
      await delay(Math.min(config.backoff.maxMs, config.backoff.initialMs * 2 ** failures), signal);
    }
  }
}
