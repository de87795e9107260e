import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/observability/logger.ts';
import type { FeedReader } from './feed-client.ts';
import type { RecordEvent } from './record-event.ts';
import { SharedFeed } from './shared-feed.ts';

const event = (seq: number) =>
  ({ seq, entity: 'WantedPerson', recordId: `r${seq}`, change: 'CREATED', at: '2026-12-02T00:00:00Z' }) as RecordEvent;

describe('a shared feed that drops before its first event', () => {
  it('reconnects from where its first read started, not from a later "now"', async () => {
    const positions: (number | undefined)[] = [];
    const read: FeedReader = async (after, _signal, onEvent, onPosition) => {
      positions.push(after);
      if (positions.length === 1) onPosition?.(7);
      else onEvent(event(8));
      return 'closed';
    };
    const feed = new SharedFeed('wanted-persons', read, { initialMs: 1, maxMs: 1 }, createLogger('test', 'silent'));
    const seen: number[] = [];
    await new Promise<void>((resolve) => {
      feed.add({
        event: (received) => {
          seen.push(received.seq);
          resolve();
        },
        missed: () => undefined,
      });
    });
    feed.stop();
    expect({ positions: positions.slice(0, 2), seen }).toEqual({ positions: [undefined, 7], seen: [8] });
  });
});
