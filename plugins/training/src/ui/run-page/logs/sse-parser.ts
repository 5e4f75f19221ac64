// Server-Sent Events read from a fetch body. The browser's EventSource cannot send the Authorization
// header, cannot show why a stream was refused (a 400 naming the query's fault), and stops for good on
// a 401; reading the stream through the authenticated client avoids all three.

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

/** Feeds text as it arrives; complete events come out (the text/event-stream rules, comments skipped). */
export class SseParser {
  private pending = '';
  private event = '';
  private data: string[] = [];
  private id: string | null = null;

  push(chunk: string): SseMessage[] {
    this.pending += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const nl = this.pending.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + (this.pending.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        if (this.data.length) out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (name === 'event') this.event = value;
      else if (name === 'data') this.data.push(value);
      else if (name === 'id' && !value.includes('\u0000')) this.id = value;
    }
    return out;
  }
}
