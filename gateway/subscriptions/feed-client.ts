import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { IDENTITY_HEADER, type IdentitySigner } from '../../lib/identity/internal-identity.ts';
import { GATEWAY_REQUEST_ID_HEADER } from '../../lib/observability/request-metadata.ts';
import { parseRecordEvent, type RecordEvent } from './record-event.ts';
import { readSse } from './sse-reader.ts';

/** How a read of a feed ended: told that events were lost (`missed`), or the connection ended (`closed`). */
export type FeedEnd = 'missed' | 'closed';

/** Reads one subgraph's `/events` feed from a position, as the gateway itself (no partner: the feed carries no content). */
export type FeedReader = (
  after: number | undefined,
  signal: AbortSignal,
  onEvent: (event: RecordEvent) => void,
  /** Where a read opened without a position started: the seq to resume after if it drops before any event. */
  onPosition?: (seq: number) => void,
) => Promise<FeedEnd>;

/** The feed of the subgraph whose GraphQL endpoint is `graphqlUrl`: same origin, path `/events`. */
export const feedUrlOf = (graphqlUrl: string): URL => new URL('/events', graphqlUrl);

/**
 * A reader of `subgraph`'s feed over `dispatcher` (the gateway's subgraph pool, so SUBGRAPH_CA_FILE
 * applies). Each connection presents a fresh identity for that subgraph, bound to its own request id.
 */
export function feedReader(subgraph: string, graphqlUrl: string, signer: IdentitySigner, dispatcher: Dispatcher): FeedReader {
  const url = feedUrlOf(graphqlUrl);
  return async (after, signal, onEvent, onPosition) => {
    const requestId = randomUUID();
    const identity = await signer.sign({ principal: null, purpose: null }, { subgraph, requestId });
    const path = `${url.pathname}${after === undefined ? '' : `?after=${after}`}`;
    const response = await dispatcher.request({
      origin: url.origin,
      path,
      method: 'GET',
      headers: { accept: 'text/event-stream', [IDENTITY_HEADER]: identity, [GATEWAY_REQUEST_ID_HEADER]: requestId },
      signal,
    });
    if (response.statusCode !== 200) {
      await response.body.text().catch(() => undefined);
      throw new Error(`record-event feed of ${subgraph} answered ${response.statusCode}`);
    }
    for await (const message of readSse(response.body)) {
      if (message.event === 'missed') return 'missed';
      // A failing feed says so and ends; the caller reconnects from its last position.
      if (message.event === 'error') return 'closed';
      if (message.event === 'position' && /^\d+$/.test(message.data)) onPosition?.(Number(message.data));
      if (message.event !== 'record') continue;
      const event = parseRecordEvent(message.data);
      if (event) onEvent(event);
    }
    return 'closed';
  };
}
