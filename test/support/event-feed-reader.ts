/** One Server-Sent Events frame as a reader sees it: a comment, or an event with its id and data. */
export interface FeedFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A record-event feed (GET /events) opened with fetch, read frame by frame. */
export interface FeedReader {
  status: number;
  contentType: string | null;
  /** The next frame, or null once the stream ended; rejects after `timeoutMs` with nothing. */
  next(timeoutMs?: number): Promise<FeedFrame | null>;
  /** The next `record` events (comments and the opening `position` skipped), with their data parsed. */
  records(count: number, timeoutMs?: number): Promise<Record<string, unknown>[]>;
  close(): void;
}

/** Opens `GET <origin>/events<query>` with `headers`, as the gateway reads a subgraph's feed. */
export async function openFeed(origin: string, query: string, headers: Record<string, string>): Promise<FeedReader> {
  const aborted = new AbortController();
  const response = await fetch(`${origin}/events${query}`, { headers, signal: aborted.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const next = async (timeoutMs = 5_000): Promise<FeedFrame | null> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return parseFrame(block);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) return null;
      buffer += decoder.decode(chunk.value, { stream: true });
    }
  };
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    next,
    async records(count, timeoutMs) {
      const found: Record<string, unknown>[] = [];
      while (found.length < count) {
        const frame = await next(timeoutMs);
        if (frame === null) throw new Error(`the feed ended after ${found.length} of ${count} records`);
        if (frame.event === 'record') found.push({ id: frame.id, ...(JSON.parse(frame.data!) as object) });
        else if (frame.comment === undefined && frame.event !== 'position') throw new Error(`unexpected frame ${JSON.stringify(frame)}`);
      }
      return found;
    },
    close: () => aborted.abort(),
  };
}

function parseFrame(block: string): FeedFrame {
  const frame: FeedFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    const [, field, value] = /^(id|event|data): ?(.*)$/.exec(line) ?? [];
    if (field) frame[field as 'id' | 'event' | 'data'] = value;
  }
  return frame;
}
