/** One Server-Sent Event: its `event:` name (`message` when absent), `id:` and joined `data:` lines. */
export interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

/**
 * Reads Server-Sent Events from a byte stream (the WHATWG "event stream" interpretation, without
 * `retry:`, which the gateway decides itself). Comments (heartbeats) are skipped.
 */
export async function* readSse(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffered = '';
  let event = '';
  let id: string | undefined;
  let data: string[] = [];
  for await (const chunk of body) {
    buffered += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + (buffered.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length > 0 || event) yield { event: event || 'message', id, data: data.join('\n') };
        event = '';
        id = undefined;
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
  }
}
