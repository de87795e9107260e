import { describe, expect, it } from 'vitest';
import type { ExecutionResult, GraphQLError } from 'graphql';
import { retryUndecided, undecided, UndecidedEvent } from './retry-undecided.ts';
import { SubscriberStream } from './subscriber-stream.ts';
import type { RecordEvent } from './record-event.ts';

const BACKOFF = { initialMs: 1, maxMs: 5 };
const away = [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'wanted-persons' } }];
const event = (seq: number) =>
  ({ seq, entity: 'WantedPerson', recordId: `r${seq}`, change: 'CREATED', at: '2026-12-02T00:00:00Z' }) as RecordEvent;

describe('retryUndecided', () => {
  it('tells a subgraph away from a record the caller may not see', () => {
    expect(undecided(away)).toMatchObject({ subgraph: 'wanted-persons' });
    expect(undecided([{ message: 'no', extensions: { code: 'NOT_FOUND' } }])).toBeUndefined();
    expect(undecided(undefined)).toBeUndefined();
  });

  it('tries again until the lookup decides', async () => {
    let tries = 0;
    const result = await retryUndecided(
      async () => {
        if (++tries < 3) throw new UndecidedEvent('wanted-persons');
        return 'seen';
      },
      BACKOFF,
      4,
      new AbortController().signal,
    );
    expect({ result, tries }).toEqual({ result: 'seen', tries: 3 });
  });

  it('gives up after the retries with SUBGRAPH_UNAVAILABLE and how to resume', async () => {
    let tries = 0;
    const failing = retryUndecided(
      () => {
        tries++;
        return Promise.reject(new UndecidedEvent('wanted-persons'));
      },
      BACKOFF,
      2,
      new AbortController().signal,
    );
    await expect(failing).rejects.toMatchObject({
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', reconnect: 'WITH_LAST_EVENT_ID', subgraph: 'wanted-persons' },
    });
    expect(tries).toBe(3);
  });
});

describe('a stream whose event cannot be resolved', () => {
  it('delivers the events before it, then ends with the error instead of skipping to the next', async () => {
    const stream = new SubscriberStream({
      wanted: () => true,
      resolve: (next) =>
        next.seq === 2
          ? retryUndecided(() => Promise.reject(new UndecidedEvent(undefined)), BACKOFF, 1, new AbortController().signal)
          : Promise.resolve<ExecutionResult>({ data: { seq: next.seq } }),
      maxQueue: 10,
      after: undefined,
      release: () => undefined,
    });
    for (const seq of [1, 2, 3]) stream.liveListener.event(event(seq));
    expect((await stream.next()).value).toEqual({ data: { seq: 1 } });
    const end = await stream.next().catch((error: GraphQLError) => error);
    expect(end).toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', reconnect: 'WITH_LAST_EVENT_ID' } });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
