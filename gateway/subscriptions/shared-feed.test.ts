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

describe('a new subscription on a shared feed', () => {
  it('is handed out once the feed knows where "now" is, so that a write committed right after it is heard', async () => {
    let tell: (seq: number) => void = () => undefined;
    const read: FeedReader = (_after, signal, _onEvent, onPosition) =>
      new Promise((resolve) => {
        tell = (seq) => onPosition?.(seq);
        signal.addEventListener('abort', () => resolve('closed'));
      });
    const feed = new SharedFeed('wanted-persons', read, { initialMs: 1, maxMs: 1 }, createLogger('test', 'silent'));
    feed.add({ event: () => undefined, missed: () => undefined });
    let positioned = false;
    const waiting = feed.positioned(5_000).then(() => (positioned = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(positioned).toBe(false);
    tell(41);
    await waiting;
    expect(positioned).toBe(true);
    feed.stop();
  });

  it('is handed out anyway after the wait when the subgraph does not answer', async () => {
    const read: FeedReader = (_after, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('closed')));
    const feed = new SharedFeed('wanted-persons', read, { initialMs: 1, maxMs: 1 }, createLogger('test', 'silent'));
    feed.add({ event: () => undefined, missed: () => undefined });
    const started = Date.now();
    await feed.positioned(100);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    feed.stop();
  });
});
