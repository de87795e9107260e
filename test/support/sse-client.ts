import { eventually, within } from './subscription-clients.ts';

/** One Server-Sent Event. */
export interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

/** An SSE response being read: its status, the events so far, and whether the server ended it. */
export interface SseStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Comment lines (keep-alives) received. */
  comments: number;
  /** Resolves once the server ended the response. */
  ended: Promise<void>;
  next(match: (event: SseEvent) => boolean, ms?: number): Promise<SseEvent>;
  abort(): void;
}

export async function openSse(url: string, init: RequestInit = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await within(
    fetch(url, { ...init, headers: { accept: 'text/event-stream', ...init.headers }, signal: controller.signal }),
    5_000,
    'the SSE response',
  );
  const stream: SseStream = {
    status: response.status,
    headers: response.headers,
    events: [],
    comments: 0,
    ended: Promise.resolve(),
    next: (match, ms = 5_000) => eventuallyFound(stream, match, ms),
    abort: () => controller.abort(),
  };
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          parseEvent(stream, buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
      }
    } catch {
      // Aborted by the test.
    }
  })();
  return stream;
}

function parseEvent(stream: SseStream, block: string): void {
  const fields: Record<string, string> = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) stream.comments++;
    else if (line) {
      const colon = line.indexOf(':');
      fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
    }
  }
  if (!fields.event) return;
  stream.events.push({ event: fields.event, ...(fields.id ? { id: fields.id } : {}), data: fields.data ? JSON.parse(fields.data) : null });
}

async function eventuallyFound(stream: SseStream, match: (event: SseEvent) => boolean, ms: number): Promise<SseEvent> {
  await eventually(() => stream.events.some(match), ms, 'an SSE event');
  return stream.events.find(match)!;
}
