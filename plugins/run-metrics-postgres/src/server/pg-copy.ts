/**
 * COPY … FROM STDIN over node-postgres without pg-copy-streams: node-postgres runs any object with a
 * `submit(connection)` method as a query and calls its handle* methods as protocol messages arrive,
 * which is exactly how pg-copy-streams plugs in. The payload here is already one buffer (a batch), so
 * no stream plumbing is needed: send it in chunks, end the copy, settle on ReadyForQuery.
 */

/** The slice of node-postgres' Connection this uses. */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** The slice of a node-postgres Client this uses (knex's pg pool hands these out). */
export interface PgClient {
  query(submittable: object): unknown;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

const CHUNK = 256 * 1024;

class CopyFromBuffer {
  private settled = false;
  private rowCount = 0;
  constructor(
    readonly text: string,
    private readonly payload: Buffer,
    private readonly done: (error: Error | null, rows: number) => void,
  ) {}

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    for (let offset = 0; offset < this.payload.length; offset += CHUNK) {
      connection.sendCopyFromChunk(this.payload.subarray(offset, offset + CHUNK));
    }
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    const match = /COPY (\d+)/.exec(message.text ?? '');
    this.rowCount = match ? Number(match[1]) : 0;
  }

  // node-postgres drops its active query when an ErrorResponse arrives, so the ReadyForQuery after it
  // never reaches this object: settle on the error itself (waiting for ReadyForQuery hung the caller
  // and leaked its connection). A ROLLBACK queued next runs once that ReadyForQuery arrives.
  handleError(error: Error): void {
    this.settle(error);
  }

  handleReadyForQuery(): void {
    this.settle(null);
  }

  private settle(error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.done(error, this.rowCount);
  }

  // Messages a COPY never produces; node-postgres may still probe for them.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

export function copyFrom(client: PgClient, sql: string, payload: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyFromBuffer(sql, payload, (error, rows) => (error ? reject(error) : resolve(rows))));
  });
}
