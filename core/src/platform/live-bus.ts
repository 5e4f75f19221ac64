import pg from 'pg';
import type { LiveBus } from '@oneservice/plugin-sdk';
import type { Logger } from 'pino';

const CHANNEL = 'oneservice_live';
/** NOTIFY payloads are limited to 8000 bytes; larger messages tell subscribers to re-read instead. */
const MAX_PAYLOAD = 7000;

/**
 * Publish/subscribe across platform nodes over PostgreSQL LISTEN/NOTIFY: an SSE client on node 2
 * sees what node 1 ingested. One dedicated connection listens; listeners are kept per tenant+topic.
 */
export class PostgresLiveBus implements LiveBus {
  private client: pg.Client | null = null;
  private stopped = false;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly kernelListeners = new Map<string, Set<(tenantId: string, payload: unknown) => void>>();
  private readonly reconnectListeners = new Set<() => void>();

  constructor(private readonly url: string, private readonly logger: Logger) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        const { t, k, p } = JSON.parse(message.payload) as { t: string; k: string; p: unknown };
        for (const listener of this.listeners.get(`${t}|${k}`) ?? []) listener(p);
        for (const listener of this.kernelListeners.get(k) ?? []) listener(t, p);
      } catch (error) {
        this.logger.warn({ err: error }, 'unreadable live notification');
      }
    });
    client.on('error', (error: Error) => {
      if (!this.stopped) this.logger.error({ err: error }, 'live bus connection failed');
    });
    // A lost connection (database restart, network) is re-established with backoff, so live views
    // resume; notifications sent while it was down are missed, and SSE clients re-read on reconnect.
    client.on('end', () => {
      if (this.client === client) this.client = null;
      if (!this.stopped) void this.reconnect(500);
    });
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private async reconnect(delayMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
    if (this.stopped) return;
    try {
      await this.connect();
      this.logger.info('live bus reconnected');
      for (const listener of this.reconnectListeners) listener();
    } catch {
      void this.reconnect(Math.min(delayMs * 2, 10_000));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  async publish(tenantId: string, topic: string, payload: unknown): Promise<void> {
    if (!this.client) return;
    let text = JSON.stringify({ t: tenantId, k: topic, p: payload });
    if (Buffer.byteLength(text) > MAX_PAYLOAD) text = JSON.stringify({ t: tenantId, k: topic, p: { truncated: true } });
    await this.client.query('SELECT pg_notify($1, $2)', [CHANNEL, text]);
  }

  /**
   * The kernel's own listeners (not on the LiveBus plugins get): a topic across every tenant, e.g.
   * "a datasource binding changed", and a call after each reconnect, since what was sent while the
   * connection was down is lost and caches built on notifications must then start over.
   */
  subscribeEveryTenant(topic: string, listener: (tenantId: string, payload: unknown) => void): void {
    const set = this.kernelListeners.get(topic) ?? new Set();
    set.add(listener);
    this.kernelListeners.set(topic, set);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  async subscribe(tenantId: string, topic: string, listener: (payload: unknown) => void): Promise<() => Promise<void>> {
    const key = `${tenantId}|${topic}`;
    const set = this.listeners.get(key) ?? new Set();
    set.add(listener);
    this.listeners.set(key, set);
    return async () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }
}
