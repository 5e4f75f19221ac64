// The text/event-stream framing (WHATWG HTML, "Server-sent events"), read from a fetch body: the
// browser's EventSource cannot send the Authorization header, cannot show why a stream was refused
// (a 400 naming the query's fault), and stops for good on a 401.

export interface SseMessage {
  event: string;
  data: string;
  /** The last event id seen so far on this stream (ids carry over to later events), or null. */
  id: string | null;
}

/** Feeds text as it arrives; complete events come out (CRLF, CR and LF line ends; comments skipped). */
export class SseParser {
  private pending = '';
  private event = '';
  private data: string[] = [];
  private idBuffer: string | null;
  /** What a reconnect sends as Last-Event-ID: set at each event's end, even one without data. */
  lastEventId: string | null;

  /** A reconnect goes on with the id the previous connection ended with (ids outlive a connection). */
  constructor(lastEventId: string | null = null) {
    this.idBuffer = lastEventId;
    this.lastEventId = lastEventId;
  }

  push(chunk: string): SseMessage[] {
    this.pending += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const nl = this.pending.search(/\r\n|\r|\n/);
      if (nl < 0) break;
      // A CR that ends the text so far may be the first half of a CRLF split across chunks.
      if (nl === this.pending.length - 1 && this.pending[nl] === '\r') break;
      const line = this.pending.slice(0, nl);
      this.pending = this.pending.slice(nl + (this.pending.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        this.lastEventId = this.idBuffer;
        if (this.data.length) out.push({ event: this.event || 'message', data: this.data.join('\n'), id: this.idBuffer });
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
      // An empty id clears it (the stream says: do not resume from where I was).
      else if (name === 'id' && !value.includes('\u0000')) this.idBuffer = value === '' ? null : value;
    }
    return out;
  }
}
